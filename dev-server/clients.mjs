// Registered clients and the scopes this server knows. Everything here is plain data so
// the demo works untouched and tests can register their own origins.

export const scopeDescriptions = new Map([
  ['openid', 'Confirm who you are'],
  ['profile', 'See your name and email address'],
  ['read', 'Read your data'],
  ['email', 'See your email address'],
]);

/** The demo's two clients, for the demo page served on `port` (npm start -- --port moves it). */
export function demoClients(port = 8000) {
  const redirectUris = ['/', '/demo/'].flatMap((path) => ['localhost', '127.0.0.1'].map((host) => `http://${host}:${port}${path}`));
  return [
    { id: 'demo-app', name: 'oauth-elements demo', redirectUris, scopes: ['profile', 'read'] },
    { id: 'other-app', name: 'Second demo app', redirectUris, scopes: ['profile', 'read'] },
  ];
}

export const defaultClients = demoClients();

/**
 * Merges `extra` over the defaults by id, so callers can both add clients and replace a
 * default one (for example to give `demo-app` the test runner's redirect URI).
 */
export function createClientRegistry(extra = []) {
  const byId = new Map();
  for (const client of [...defaultClients, ...extra]) {
    byId.set(client.id, normalizeClient(client));
  }
  return { get: (id) => byId.get(id) };
}

function normalizeClient({ id, name = id, redirectUris, scopes, defaultScopes = scopes }) {
  if (!id || typeof id !== 'string') throw new TypeError('A client needs a string id');
  for (const scope of [...scopes, ...defaultScopes]) {
    if (!scopeDescriptions.has(scope)) throw new TypeError(`Client ${id}: unknown scope ${scope}`);
  }
  for (const uri of redirectUris) {
    // RFC 6749 §3.1.2: a redirection endpoint is an absolute URI without a fragment.
    // Matching later is by exact string, so a typo here must fail loudly now.
    const parsed = new URL(uri);
    if (parsed.hash || uri.includes('#')) throw new TypeError(`Client ${id}: redirect URI ${uri} has a fragment`);
  }
  return { id, name, redirectUris: [...redirectUris], scopes: [...scopes], defaultScopes: [...defaultScopes] };
}
