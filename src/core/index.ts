/** The framework-free OAuth core, for pages that want the protocol without the elements. */
export { buildAuthorizationUrl, type SignInOptions } from './authorization-request.js';
export { parseCallbackFragment, parseCallbackQuery, MAX_RESPONSE_LENGTH, type CallbackParameters } from './callback.js';
export { CallbackInbox } from './callback-inbox.js';
export { browserEffects, type Effects } from './effects.js';
export { OAuthError, type LocalErrorCode, type OAuthErrorDetail } from './errors.js';
export { resolveLoginConfig, type LoginConfig } from './login-config.js';
export type { LoginOptions, ResponseType, StorageKind } from './login-options.js';
export { LoginSession, type LoginSessionListener, type SignOutOptions, type SignOutReason } from './login-session.js';
export { PendingRequestStore, PENDING_LIFETIME_MS, type PendingRequest } from './pending-requests.js';
export { resolveJsonPointer } from './json-pointer.js';
export { bearerFetch, type Bearer } from './bearer-fetch.js';
export { requestResource, type AuthorizedFetch, type ResourceResponse } from './resource-request.js';
export { isSecureOrLoopback, resolveResourceUrl } from './secure-url.js';
export { errorFromResponse, tokenFromResponse, type TokenDetail } from './token.js';
export { TokenStore } from './token-store.js';
