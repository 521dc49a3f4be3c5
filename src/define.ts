import { OAuthFetchElement } from './oauth-fetch/oauth-fetch-element.js';
import { OAuthLoginElement } from './oauth-login/oauth-login-element.js';

/**
 * The one place that registers tags. A tag that is already defined (a second copy of the
 * bundle on the page) is left as it is instead of throwing.
 */
const elements: Record<string, CustomElementConstructor> = {
  'oauth-login': OAuthLoginElement,
  'oauth-fetch': OAuthFetchElement,
};

for (const [tag, element] of Object.entries(elements)) {
  if (!customElements.get(tag)) customElements.define(tag, element);
}

export { OAuthFetchElement, OAuthLoginElement };
