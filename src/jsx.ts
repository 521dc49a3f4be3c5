/**
 * JSX types for React 19, so `<oauth-login client-id="…" ontoken={…} />` type-checks in TSX.
 * Types only: this module has no runtime code.
 *
 * React 19 passes each prop of a custom element as follows (react-dom's `setPropOnCustomElement`):
 * - `on` + a name, with a function: `addEventListener(name, fn)`, with the name exactly as
 *   written: `ontoken` listens to `token`, `onoauth-error` to `oauth-error`.
 * - a name the element has as a property (`token`, `renderData`, `clientId`…): set as that
 *   property. This needs the tags defined before React renders them
 *   (`import 'oauth-elements/define'` first), otherwise React writes an attribute instead.
 * - any other name (`client-id`…): set as an attribute.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { OAuthErrorEvent, ResponseEvent, SignOutEvent, TokenEvent } from './events.js';
import type { OAuthFetchElement, RenderData } from './oauth-fetch/oauth-fetch-element.js';
import type { OAuthLoginElement } from './oauth-login/oauth-login-element.js';

/** The `<oauth-login>` attributes, written as in HTML. */
export interface OAuthLoginAttributes {
  'authorize-url'?: string;
  'client-id'?: string;
  'redirect-uri'?: string;
  scope?: string;
  'response-type'?: OAuthLoginElement['responseType'];
  'token-url'?: string;
  issuer?: string;
  'revocation-url'?: string;
  storage?: OAuthLoginElement['storage'];
  mode?: OAuthLoginElement['mode'];
}

/** `<oauth-login>` event listeners as React 19 props: the event's name after `on`, as is. */
export interface OAuthLoginEventProps {
  ontoken?: (event: TokenEvent) => void;
  onsignout?: (event: SignOutEvent) => void;
  'onoauth-error'?: (event: OAuthErrorEvent) => void;
}

/** The `<oauth-fetch>` attributes, written as in HTML. */
export interface OAuthFetchAttributes {
  src?: string;
  for?: string;
  pointer?: string;
}

/** `<oauth-fetch>` properties without an attribute, which React 19 sets as properties. */
export interface OAuthFetchProperties {
  /** An access token set by hand; `null` clears it. Never written to an attribute (with the tag defined first). */
  token?: string | null;
  renderData?: RenderData | null;
}

/** `<oauth-fetch>` event listeners as React 19 props. */
export interface OAuthFetchEventProps {
  onresponse?: (event: ResponseEvent) => void;
  'onoauth-error'?: (event: OAuthErrorEvent) => void;
}

/** What every element takes in React: `ref`, `key`, `className` (or `class`), `id`, `slot`, `hidden`, `style`, `children`… */
type ReactElementProps<E extends HTMLElement> = DetailedHTMLProps<HTMLAttributes<E>, E> & { class?: string };

/** The props of `<oauth-login>` in React 19 JSX. */
export type OAuthLoginProps = ReactElementProps<OAuthLoginElement> & OAuthLoginAttributes & OAuthLoginEventProps;

/** The props of `<oauth-fetch>` in React 19 JSX. */
export type OAuthFetchProps = ReactElementProps<OAuthFetchElement> & OAuthFetchAttributes & OAuthFetchProperties & OAuthFetchEventProps;

declare module 'react' {
  // React keeps its JSX types in a namespace: augmenting it is the only way to add tags.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'oauth-login': OAuthLoginProps;
      'oauth-fetch': OAuthFetchProps;
    }
  }
}
