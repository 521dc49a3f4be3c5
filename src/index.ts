/**
 * The element classes and the framework-free core, without registering any tag:
 * importing this module has no side effects. Import `oauth-elements/define` to register.
 */
export { OAuthFetchElement, type FetchStatus, type RenderData } from './oauth-fetch/oauth-fetch-element.js';
export { renderJsonTree, type JsonTreeOptions } from './oauth-fetch/json-tree.js';
export { OAuthLoginElement } from './oauth-login/oauth-login-element.js';
export * from './events.js';
export * from './core/index.js';
