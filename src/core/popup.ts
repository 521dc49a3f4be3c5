import type { CapturedResponse } from './callback.js';
import type { Effects } from './effects.js';

/**
 * Popup sign-in. The states of popup sign-ins carry this prefix, so the page that receives
 * the response inside the popup knows to hand it back to the opener instead of keeping it.
 */
export const POPUP_STATE_PREFIX = 'p.';
export const POPUP_MESSAGE_TYPE = 'oauth-elements:popup-response';
/** Long enough to create an account and confirm an email; past it the popup is closed. */
export const POPUP_TIME_LIMIT_MS = 10 * 60 * 1000;
export interface PopupMessage {
  type: typeof POPUP_MESSAGE_TYPE;
  source: CapturedResponse['source'];
  params: [string, string][];
  malformed?: string;
}

export const isPopupState = (state: string | undefined): boolean => state?.startsWith(POPUP_STATE_PREFIX) === true;
/** The states of silent renewals (silent-authorization.ts), whose responses land in a hidden frame. */
export const SILENT_STATE_PREFIX = 's.';
export const isSilentState = (state: string | undefined): boolean => state?.startsWith(SILENT_STATE_PREFIX) === true;

/** The BroadcastChannel that carries a response when Cross-Origin-Opener-Policy cut the opener link. */
export const channelName = (state: string) => `oauth-elements:popup:${state}`;

/**
 * In the popup: sends the response to the opener (postMessage to this exact origin, since
 * the opener is the same page origin as the redirect URI) and over a BroadcastChannel keyed
 * by its state, then closes the popup.
 */
export function relayToOpener(
  effects: Pick<Effects, 'opener' | 'openChannel' | 'currentUrl' | 'closeWindow'>,
  response: CapturedResponse,
): void {
  const message = relayMessage(response);
  try {
    effects.opener()?.postMessage(message, new URL(effects.currentUrl()).origin);
  } catch {
    // A cut or cross-origin opener: the channel below still carries it.
  }
  const channel = effects.openChannel(channelName(response.params.get('state') ?? ''));
  channel?.postMessage(message);
  channel?.close();
  effects.closeWindow();
}

/**
 * In the hidden frame of a silent renewal: sends the response to the parent page the same
 * way, to this exact origin only, so a page of another origin that frames the redirect
 * URI receives nothing.
 */
export function relayToParent(effects: Pick<Effects, 'parent' | 'currentUrl'>, response: CapturedResponse): void {
  effects.parent()?.postMessage(relayMessage(response), new URL(effects.currentUrl()).origin);
}

function relayMessage(response: CapturedResponse): PopupMessage {
  return {
    type: POPUP_MESSAGE_TYPE,
    source: response.source,
    params: [...response.params],
    ...(response.malformed ? { malformed: response.malformed } : {}),
  };
}
