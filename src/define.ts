import { OAuthFetchElement } from './oauth-fetch/oauth-fetch-element.js';
import { OAuthLoginElement } from './oauth-login/oauth-login-element.js';

// The one place that registers tags. A tag that is already defined (a second copy of the
// bundle on the page) is left as it is instead of throwing.
if (!customElements.get('oauth-fetch')) customElements.define('oauth-fetch', OAuthFetchElement);
if (!customElements.get('oauth-login')) customElements.define('oauth-login', OAuthLoginElement);

export { OAuthFetchElement } from './oauth-fetch/oauth-fetch-element.js';
export { OAuthLoginElement } from './oauth-login/oauth-login-element.js';
