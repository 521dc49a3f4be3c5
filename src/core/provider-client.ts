/**
 * What a login needs to talk to its provider directly rather than through the address bar:
 * the token endpoint (code exchange, refresh, revocation), OpenID discovery and the checks
 * of the ID tokens they return. The implicit grant needs none of it, so it is loaded on
 * demand (see on-demand.ts), as one chunk of the script-tag bundle.
 */
export { discoverProvider } from './discovery.js';
export { checkIdToken } from './id-token.js';
export { postForm, requestTokens } from './token-endpoint.js';
