// For the lifecycle pages: points each login at its provider by issuer (OpenID discovery)
// and revocation endpoint, from this run's config. Runs before page.js and the bundle.
import config from '/config/config.js';

const params = new URLSearchParams(location.search);
for (const login of document.querySelectorAll('oauth-login[data-issuer]')) {
  const issuer = params.get('issuer') ?? config[login.dataset.issuer];
  login.setAttribute('issuer', issuer);
  if (login.hasAttribute('data-revoke')) login.setAttribute('revocation-url', `${issuer}/revoke`);
  for (const name of ['client-id', 'scope', 'storage', 'mode']) {
    if (params.has(name)) login.setAttribute(name, params.get(name));
  }
}
for (const fetcher of document.querySelectorAll('oauth-fetch[data-issuer-api]')) {
  fetcher.setAttribute('src', `${params.get('issuer') ?? config[fetcher.dataset.issuerApi]}${fetcher.dataset.path}`);
}
