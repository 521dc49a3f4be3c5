// Wires a test page to this run's servers and records what the elements announce.
// Runs before the bundle (module scripts run in document order), so the elements start
// with their final attributes and no event is missed.
import config from '/config/config.js';

for (const login of document.querySelectorAll('oauth-login[data-auth]')) {
  login.setAttribute('authorize-url', `${config[login.dataset.auth]}/authorize`);
}
for (const fetcher of document.querySelectorAll('oauth-fetch[data-api]')) {
  fetcher.setAttribute('src', config[fetcher.dataset.api] + (fetcher.dataset.path ?? ''));
}

// In a variable only: the token must never reach the DOM, so the page does not put it there either.
window.e2e = { config, events: [], restoredFromCache: 0 };
addEventListener('pageshow', (event) => event.persisted && window.e2e.restoredFromCache++);
for (const type of ['token', 'signout', 'oauth-error', 'response']) {
  // On document, as the contract promises: every event bubbles and is composed.
  document.addEventListener(type, (event) => {
    const source = event.composedPath()[0];
    window.e2e.events.push({ type, source: source.id || source.dataset.name || source.localName, detail: event.detail });
  });
}
