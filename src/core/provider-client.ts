/**
 * What a login needs to talk to its provider directly rather than through the address bar:
 * the token endpoint (code exchange with its PKCE pair, refresh, revocation), OpenID
 * discovery, the checks of the ID tokens they return (and of those from the front channel),
 * renewal by refresh token and sign-out at the provider. The plain implicit grant needs none
 * of it, so it is loaded on demand (see on-demand.ts), as one chunk of the script-tag bundle.
 */
export { exchangeCode } from './code-grant.js';
export { discoverProvider } from './discovery.js';
export { checkFrontChannelIdToken, checkIdToken } from './id-token.js';
export { createPkce } from './pkce.js';
export { Renewal } from './renewal.js';
export { signOutAtProvider } from './sign-out-at-provider.js';
export { postForm, requestTokens } from './token-endpoint.js';
