import type { OAuthErrorDetail } from './core/errors.js';
import type { SignOutReason } from './core/login-session.js';
import type { TokenDetail } from './core/token.js';

export type { OAuthErrorDetail, SignOutReason, TokenDetail };

/** The `detail` of a `signout` event. */
export interface SignOutDetail {
  reason: SignOutReason;
}

/** The `detail` of an `<oauth-fetch>` `response` event. */
export interface ResponseDetail {
  data: unknown;
  status: number;
  url: string;
}

export type TokenEvent = CustomEvent<TokenDetail>;
export type SignOutEvent = CustomEvent<SignOutDetail>;
export type OAuthErrorEvent = CustomEvent<OAuthErrorDetail>;
export type ResponseEvent = CustomEvent<ResponseDetail>;

/**
 * The events of `<oauth-login>`, for its typed `addEventListener`. Kept to the element
 * rather than added to `GlobalEventHandlersEventMap`, where names as plain as `token` or
 * `response` would collide with another library's.
 */
export interface OAuthLoginEventMap {
  token: TokenEvent;
  signout: SignOutEvent;
  'oauth-error': OAuthErrorEvent;
}

/** The events of `<oauth-fetch>`, for its typed `addEventListener`. */
export interface OAuthFetchEventMap {
  response: ResponseEvent;
  'oauth-error': OAuthErrorEvent;
}

/**
 * Every event of both elements. They bubble, so a page that listens on `document` can opt
 * in to typed listeners there: `declare global { interface DocumentEventMap extends
 * OAuthElementsEventMap {} }`.
 */
export interface OAuthElementsEventMap extends OAuthLoginEventMap, OAuthFetchEventMap {}

/** An element's `addEventListener`, typed for its own events `Events` as well as the usual ones. */
export interface TypedAddEventListener<Events, This> {
  <K extends keyof Events>(type: K, listener: (this: This, event: Events[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  <K extends keyof HTMLElementEventMap>(
    type: K,
    listener: (this: This, event: HTMLElementEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  (type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

/** The matching `removeEventListener`. */
export interface TypedRemoveEventListener<Events, This> {
  <K extends keyof Events>(type: K, listener: (this: This, event: Events[K]) => unknown, options?: boolean | EventListenerOptions): void;
  <K extends keyof HTMLElementEventMap>(
    type: K,
    listener: (this: This, event: HTMLElementEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  (type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

/**
 * Fires one of the elements' events with the detail its type declares. Every event of both
 * elements bubbles and is composed, so a listener on `document` hears it, and none is cancelable.
 */
export function dispatch<Type extends keyof OAuthElementsEventMap>(
  target: EventTarget,
  type: Type,
  detail: OAuthElementsEventMap[Type]['detail'],
): void {
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
