// Registered clients and the scopes this server knows. Everything here is plain data so
// the demo works untouched and tests can register their own origins.

export const scopeDescriptions = new Map([
  ['openid', 'Confirm who you are'],
  ['profile', 'See your name and email address'],
  ['read', 'Read your data'],
  ['email', 'See your email address'],
]);

/**
 * Every response type this server knows, each written with its values in sorted order (the
 * order in a request does not matter). A client may use the ones in its `responseTypes`.
 */
export const RESPONSE_TYPES = ['code', 'token', 'id_token token'];
const DEFAULT_RESPONSE_TYPES = ['code', 'token'];

/** The demo's two clients, for the demo page served on `port` (npm start -- --port moves it). */
export function demoClients(port = 8000) {
  const redirectUris = ['/', '/demo/'].flatMap((path) => ['localhost', '127.0.0.1'].map((host) => `http://${host}:${port}${path}`));
  return [
    // The one demo client allowed OpenID's implicit flow (`id_token token`, which needs `openid`).
    {
      id: 'demo-app',
      name: 'oauth-elements demo',
      redirectUris,
      scopes: ['openid', 'profile', 'read'],
      defaultScopes: ['profile', 'read'],
      responseTypes: [...RESPONSE_TYPES],
    },
    { id: 'other-app', name: 'Second demo app', redirectUris, scopes: ['profile', 'read'] },
  ];
}

export const defaultClients = demoClients();

/**
 * Merges `extra` over the defaults by id, so callers can both add clients and replace a
 * default one (for example to give `demo-app` the test runner's redirect URI). A client is
 * `{ id, name, redirectUris, scopes, defaultScopes, responseTypes }`: `defaultScopes` for a
 * request without `scope` (all of `scopes` if left out), `responseTypes` those of
 * RESPONSE_TYPES it may ask for (`code` and `token` if left out).
 */
export function createClientRegistry(extra = []) {
  const byId = new Map();
  for (const client of [...defaultClients, ...extra]) {
    byId.set(client.id, normalizeClient(client));
  }
  return { get: (id) => byId.get(id) };
}

function normalizeClient({ id, name = id, redirectUris, scopes, defaultScopes = scopes, responseTypes = DEFAULT_RESPONSE_TYPES }) {
  if (!id || typeof id !== 'string') throw new TypeError('A client needs a string id');
  for (const type of responseTypes) {
    if (!RESPONSE_TYPES.includes(type)) throw new TypeError(`Client ${id}: unknown response type ${type}`);
  }
  for (const scope of [...scopes, ...defaultScopes]) {
    if (!scopeDescriptions.has(scope)) throw new TypeError(`Client ${id}: unknown scope ${scope}`);
  }
  for (const uri of redirectUris) {
    // RFC 6749 §3.1.2: a redirection endpoint is an absolute URI without a fragment.
    // Matching later is by exact string, so a typo here must fail loudly now.
    const parsed = new URL(uri);
    if (parsed.hash || uri.includes('#')) throw new TypeError(`Client ${id}: redirect URI ${uri} has a fragment`);
  }
  return {
    id,
    name,
    redirectUris: [...redirectUris],
    scopes: [...scopes],
    defaultScopes: [...defaultScopes],
    responseTypes: [...responseTypes],
  };
}
