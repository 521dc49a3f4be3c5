/**
 * Types for dist/oauth-elements.iife.js, the classic script: it defines the tags as it runs
 * and leaves the element classes at `window.OAuthElements`. A TypeScript page that loads
 * it with `<script src>` names this file to have that global typed:
 * `/// <reference types="oauth-elements/oauth-elements.iife.js" />`.
 */
import type { OAuthFetchElement } from './oauth-fetch/oauth-fetch-element.js';
import type { OAuthLoginElement } from './oauth-login/oauth-login-element.js';

/** What the classic script leaves at `window.OAuthElements`. */
export interface OAuthElementsGlobal {
  OAuthLoginElement: typeof OAuthLoginElement;
  OAuthFetchElement: typeof OAuthFetchElement;
}

declare global {
  interface Window {
    OAuthElements: OAuthElementsGlobal;
  }
  // The script's top-level `var OAuthElements`.
  var OAuthElements: OAuthElementsGlobal;
}
