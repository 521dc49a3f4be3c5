import type { CallbackParameters, CapturedResponse } from './callback.js';
import type { Effects } from './effects.js';
import { OAuthError } from './errors.js';

/**
 * Popup sign-in. The states of popup sign-ins carry this prefix, so the page that receives
 * the response inside the popup knows to hand it back to the opener instead of keeping it.
 */
export const POPUP_STATE_PREFIX = 'p.';
export const POPUP_MESSAGE_TYPE = 'oauth-elements:popup-response';
/** Long enough to create an account and confirm an email; past it the popup is closed. */
export const POPUP_TIME_LIMIT_MS = 10 * 60 * 1000;
const CLOSED_POLL_MS = 500;

interface PopupMessage {
  type: typeof POPUP_MESSAGE_TYPE;
  source: CapturedResponse['source'];
  params: [string, string][];
  malformed?: string;
}

export const isPopupState = (state: string | undefined): boolean => state?.startsWith(POPUP_STATE_PREFIX) === true;

/** The BroadcastChannel that carries a response when Cross-Origin-Opener-Policy cut the opener link. */
const channelName = (state: string) => `oauth-elements:popup:${state}`;

/**
 * In the popup: sends the response to the opener (postMessage to this exact origin, since
 * the opener is the same page origin as the redirect URI) and over a BroadcastChannel keyed
 * by its state, then closes the popup.
 */
export function relayToOpener(
  effects: Pick<Effects, 'opener' | 'openChannel' | 'currentUrl' | 'closeWindow'>,
  response: CapturedResponse,
): void {
  const message: PopupMessage = {
    type: POPUP_MESSAGE_TYPE,
    source: response.source,
    params: [...response.params],
    ...(response.malformed ? { malformed: response.malformed } : {}),
  };
  const origin = new URL(effects.currentUrl()).origin;
  try {
    effects.opener()?.postMessage(message, origin);
  } catch {
    // A cut or cross-origin opener: the channel below still carries it.
  }
  const channel = effects.openChannel(channelName(response.params.get('state') ?? ''));
  channel?.postMessage(message);
  channel?.close();
  effects.closeWindow();
}

/**
 * In the opener: waits for the popup's response to the sign-in with `state`. Accepts only
 * a message from this origin, from that popup window (or the state's channel), with that
 * state, and only the first. Rejects with `popup_closed` when the user closes the popup
 * or the time limit passes.
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
      const response = toResponse(data);
      if (response?.params.get('state') !== state) return false;
      finish();
      resolve(response);
      return true;
    };
    const stopListening = effects.onMessage((event) => {
      if (event.origin !== origin || event.source !== popup || accept(event.data) || !toResponse(event.data)) return;
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

function toResponse(data: unknown): CapturedResponse | null {
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
