/**
 * The element classes and the framework-free core, without registering any tag:
 * importing this module has no side effects. Import `oauth-elements/define` to register.
 */
export { OAuthLoginElement } from './oauth-login/oauth-login-element.js';
export * from './events.js';
export * from './core/index.js';
