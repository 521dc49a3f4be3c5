import type { CallbackParameters, CapturedResponse } from './callback.js';
import type { Effects } from './effects.js';
import { OAuthError } from './errors.js';
import { channelName, POPUP_MESSAGE_TYPE, POPUP_TIME_LIMIT_MS, type PopupMessage } from './popup.js';

const CLOSED_POLL_MS = 500;

/**
 * In the opener (loaded on demand; the relay in the popup is in popup.ts): waits for the
 * popup's response to the sign-in with `state`. Accepts only a message from this origin,
 * from that popup window (or the state's channel), with that state, and only the first.
 * Rejects with `popup_closed` when the user closes the popup or the time limit passes.
 */
export function waitForPopupResponse(
  effects: Pick<Effects, 'onMessage' | 'openChannel' | 'currentUrl' | 'setTimeout' | 'clearTimeout'>,
  popup: Window,
  state: string,
  timeLimitMs = POPUP_TIME_LIMIT_MS,
): Promise<CapturedResponse> {
  const origin = new URL(effects.currentUrl()).origin;
  return new Promise((resolve, reject) => {
    const channel = effects.openChannel(channelName(state));
    const timers: { poll?: unknown; deadline?: unknown } = {};
    const finish = () => {
      stopListening();
      channel?.removeEventListener('message', onChannelMessage);
      channel?.close();
      effects.clearTimeout(timers.poll);
      effects.clearTimeout(timers.deadline);
    };
    const accept = (data: unknown): boolean => {
      const response = relayedResponse(data);
      if (response?.params.get('state') !== state) return false;
      finish();
      resolve(response);
      return true;
    };
    const stopListening = effects.onMessage((event) => {
      if (event.origin !== origin || event.source !== popup || accept(event.data) || !relayedResponse(event.data)) return;
      // Our own popup answered, but for another state: a response planted in the popup.
      finish();
      reject(new OAuthError('invalid_state', 'No sign-in is waiting for this response'));
    });
    const onChannelMessage = (event: MessageEvent) => accept(event.data);
    channel?.addEventListener('message', onChannelMessage);

    const checkClosed = () => {
      if (!popup.closed) {
        timers.poll = effects.setTimeout(checkClosed, CLOSED_POLL_MS);
        return;
      }
      // Give a response that is on its way (the popup closes itself right after sending) a moment.
      timers.poll = effects.setTimeout(() => {
        finish();
        reject(new OAuthError('popup_closed', 'The sign-in popup was closed'));
      }, CLOSED_POLL_MS);
    };
    timers.poll = effects.setTimeout(checkClosed, CLOSED_POLL_MS);
    timers.deadline = effects.setTimeout(() => {
      finish();
      popup.close();
      reject(new OAuthError('popup_closed', 'The sign-in popup took too long'));
    }, timeLimitMs);
  });
}

/** A relayed response (popup.ts) as the page receives it, or `null` for any other message. */
export function relayedResponse(data: unknown): CapturedResponse | null {
  const message = data as Partial<PopupMessage> | null;
  if (message?.type !== POPUP_MESSAGE_TYPE || !Array.isArray(message.params)) return null;
  if (!message.params.every((pair) => Array.isArray(pair) && pair.length === 2 && pair.every((part) => typeof part === 'string')))
    return null;
  const params: CallbackParameters['params'] = new Map(message.params);
  return {
    params,
    source: message.source === 'query' ? 'query' : 'fragment',
    ...(typeof message.malformed === 'string' ? { malformed: message.malformed } : {}),
  };
}
