import type { Effects } from './effects.js';

/** What one tab tells the others about one login (`owner`). */
export interface CrossTabMessage {
  type: 'token' | 'signout';
  owner: string;
}

export const CHANNEL_NAME = 'oauth-elements';

/**
 * A same-origin channel between tabs: a sign-out in one tab ends the sign-in everywhere;
 * with `storage="local"`, a sign-in in one tab reaches the others. Messages never carry a
 * token: a tab that wants it reads its own storage.
 */
export class CrossTabChannel {
  private channel: BroadcastChannel | null = null;

  constructor(
    private readonly effects: Pick<Effects, 'openChannel'>,
    private readonly onMessage: (message: CrossTabMessage) => void,
  ) {}

  open(): void {
    if (this.channel) return;
    this.channel = this.effects.openChannel(CHANNEL_NAME);
    this.channel?.addEventListener('message', this.receive);
  }

  close(): void {
    this.channel?.removeEventListener('message', this.receive);
    this.channel?.close();
    this.channel = null;
  }

  post(message: CrossTabMessage): void {
    this.channel?.postMessage(message);
  }

  private readonly receive = (event: MessageEvent): void => {
    const message = event.data as Partial<CrossTabMessage> | null;
    if ((message?.type === 'token' || message?.type === 'signout') && typeof message.owner === 'string') {
      this.onMessage({ type: message.type, owner: message.owner });
    }
  };
}
