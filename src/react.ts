/**
 * `<OAuthLogin>` and `<OAuthFetch>`: the elements as React components (React 18 and 19),
 * made with `@lit/react`. Importing this module registers both tags (as `define` does).
 *
 * Each prop the element has as a property (`token`, `src`, `for`, `clientId`…) is set as
 * that property on the client, after React has rendered, and never as an attribute: under
 * server rendering (`renderToString`, Next.js, Remix) no token is written into the HTML,
 * and after hydration the element gets it and loads. Events are `on` + the event's name
 * in camel case, typed by their detail: `onToken`, `onSignout`, `onOauthError`,
 * `onResponse`. React 18, which sets every custom element prop as an attribute and never
 * listens to their events, gets the same behaviour as 19.
 *
 * `OAuthLogin` and `OAuthFetch` are made with the `react` this module imports (the one the
 * app's bundler resolves). A page with another copy of React (a micro-frontend, a test of
 * two versions) makes its own with `createOAuthComponents(React)`.
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import './define.js';
import type { OAuthErrorEvent, ResponseEvent, SignOutEvent, TokenEvent } from './events.js';
import { OAuthFetchElement } from './oauth-fetch/oauth-fetch-element.js';
import { OAuthLoginElement } from './oauth-login/oauth-login-element.js';

/** Both components, made with the given React (`import * as React from 'react'`). */
export function createOAuthComponents(react: typeof React) {
  return {
    OAuthLogin: createComponent({
      react,
      tagName: 'oauth-login',
      elementClass: OAuthLoginElement,
      events: {
        onToken: 'token' as EventName<TokenEvent>,
        onSignout: 'signout' as EventName<SignOutEvent>,
        onOauthError: 'oauth-error' as EventName<OAuthErrorEvent>,
      },
      displayName: 'OAuthLogin',
    }),
    OAuthFetch: createComponent({
      react,
      tagName: 'oauth-fetch',
      elementClass: OAuthFetchElement,
      events: {
        onResponse: 'response' as EventName<ResponseEvent>,
        onOauthError: 'oauth-error' as EventName<OAuthErrorEvent>,
      },
      displayName: 'OAuthFetch',
    }),
  };
}

export const { OAuthLogin, OAuthFetch } = createOAuthComponents(React);
