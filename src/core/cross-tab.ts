import type { Effects } from './effects.js';
import { TOKEN_KEY_PREFIX } from './token-store.js';

/** What one tab tells the others about one login (`owner`). */
export interface CrossTabMessage {
  type: 'token' | 'signout';
  owner: string;
}

const CHANNEL_NAME = 'oauth-elements';

/**
 * What tabs of one origin tell each other: a sign-out in one tab ends the sign-in
 * everywhere; with `storage="local"`, a sign-in in one tab reaches the others. Messages
 * never carry a token: a tab that wants it reads its own storage. Two carriers, since
 * each misses cases: a BroadcastChannel for every storage kind, and localStorage's own
 * `storage` events for `local` (seen to arrive where Firefox dropped a channel message).
 * A message may so arrive twice; receivers must not mind.
 */
export class CrossTabChannel {
  readonly #effects: Pick<Effects, 'openChannel' | 'onStorage'>;
  readonly #onMessage: (message: CrossTabMessage) => void;
  #channel: BroadcastChannel | null = null;
  #stopStorageEvents?: () => void;

  constructor(effects: Pick<Effects, 'openChannel' | 'onStorage'>, onMessage: (message: CrossTabMessage) => void) {
    this.#effects = effects;
    this.#onMessage = onMessage;
  }

  /**
   * Starts listening; to `storage` events too for a login kept in localStorage. Only there
   * do they carry its token, and the first `storage` listener of a page costs Chromium a
   * millisecond or two (it opens the origin's localStorage), on a callback's path.
   */
  open(storageEvents: boolean): void {
    if (this.#channel || this.#stopStorageEvents) return;
    this.#channel = this.#effects.openChannel(CHANNEL_NAME);
    this.#channel?.addEventListener('message', this.#receive);
    if (!storageEvents) return;
    this.#stopStorageEvents = this.#effects.onStorage((event) => {
      if (!event.key?.startsWith(TOKEN_KEY_PREFIX)) return;
      this.#onMessage({ type: event.newValue === null ? 'signout' : 'token', owner: event.key.slice(TOKEN_KEY_PREFIX.length) });
    });
  }

  close(): void {
    this.#channel?.removeEventListener('message', this.#receive);
    this.#channel?.close();
    this.#channel = null;
    this.#stopStorageEvents?.();
    this.#stopStorageEvents = undefined;
  }

  post(message: CrossTabMessage): void {
    this.#channel?.postMessage(message);
  }

  readonly #receive = (event: MessageEvent): void => {
    const message = event.data as Partial<CrossTabMessage> | null;
    if ((message?.type === 'token' || message?.type === 'signout') && typeof message.owner === 'string') {
      this.#onMessage({ type: message.type, owner: message.owner });
    }
  };
}
