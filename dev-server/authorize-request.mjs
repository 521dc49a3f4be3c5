import { RESPONSE_TYPES, scopeDescriptions } from './clients.mjs';
import { isS256Challenge } from './pkce.mjs';

/**
 * Checks an authorization request (RFC 6749 §4.1.1, §4.2.1, RFC 7636 §4.3, OpenID Connect
 * Core §3.2.2.1) from its raw query string, in the order the RFC requires: until the client
 * and its redirect URI are known to be valid, nothing may be sent to the redirect URI
 * (§4.1.2.1, §4.2.2.1), so those problems come back as `{ page }`. Later problems come back
 * as `{ error, context }` to be reported to the client, and a good request as `{ request }`,
 * its `type` with the values in sorted order.
 *
 * The raw query is read rather than a parsed object because a parser silently turns a
 * repeated parameter into an array or keeps one of its values, and §3.1 forbids repeats.
 */
export function checkAuthorizationRequest(rawQuery, clients) {
  const params = new URLSearchParams(rawQuery);
  const names = [...params.keys()];
  const repeated = [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
  const clientId = params.get('client_id');
  const redirectUri = params.get('redirect_uri');

  for (const name of ['client_id', 'redirect_uri']) {
    if (repeated.includes(name)) return { page: `The request contains ${name} more than once.` };
  }
  if (!clientId) return { page: 'The request has no client_id.' };
  const client = clients.get(clientId);
  if (!client) return { page: `No application is registered with the client_id “${clientId}”.` };
  if (!redirectUri) return { page: `The request from ${client.name} has no redirect_uri.` };
  if (!client.redirectUris.includes(redirectUri)) {
    return {
      page: `The redirect_uri “${redirectUri}” is not registered for ${client.name}.`,
      registered: client.redirectUris,
    };
  }

  const type = params.get('response_type') ?? '';
  const state = repeated.includes('state') ? undefined : params.get('state') || undefined;
  const context = { client, redirectUri, type, state };
  const reject = (error, description) => ({ error, description, context });

  if (repeated.length > 0) return reject('invalid_request', `Parameters included more than once: ${repeated.join(', ')}`);
  if (!type) return reject('invalid_request', 'Missing required parameter: response_type');
  // The order of the values does not matter (OAuth 2.0 Multiple Response Type Encoding Practices §2).
  const responseType = type.split(' ').sort().join(' ');
  if (!RESPONSE_TYPES.includes(responseType)) return reject('unsupported_response_type', `Unsupported response type: ${type}`);
  if (!client.responseTypes.includes(responseType)) {
    return reject('unauthorized_client', `${client.name} is not registered for response_type ${responseType}`);
  }

  const requested = (params.get('scope') ?? '').split(' ').filter(Boolean);
  const scope = requested.length > 0 ? [...new Set(requested)] : client.defaultScopes;
  const unknown = scope.filter((s) => !scopeDescriptions.has(s));
  if (unknown.length > 0) return reject('invalid_scope', `Unknown scope: ${unknown.join(' ')}`);
  const refused = scope.filter((s) => !client.scopes.includes(s));
  if (refused.length > 0) return reject('invalid_scope', `Scope not allowed for this client: ${refused.join(' ')}`);

  const nonce = params.get('nonce') || undefined;
  if (responseType === 'id_token token') {
    // OpenID Connect Core §3.2.2.1: an ID token is for an OpenID request, and the nonce is
    // what the client checks it against, so neither may be left out.
    if (!scope.includes('openid')) return reject('invalid_scope', 'response_type id_token token needs the openid scope');
    if (!nonce) return reject('invalid_request', 'Missing required parameter: nonce');
  }

  const codeChallenge = params.get('code_challenge') ?? undefined;
  if (responseType === 'code') {
    // Public clients only, so the code grant is PKCE or nothing (OAuth 2.1 §4.1.1).
    if (!codeChallenge) return reject('invalid_request', 'Missing required parameter: code_challenge');
    if (params.get('code_challenge_method') !== 'S256') {
      return reject('invalid_request', 'code_challenge_method must be S256');
    }
    if (!isS256Challenge(codeChallenge)) return reject('invalid_request', 'Malformed code_challenge');
  }

  // OpenID Connect Core §3.1.2.1: `none` asks for no page at all, so it goes with nothing else.
  const prompt = (params.get('prompt') ?? '').split(' ').filter(Boolean);
  if (prompt.includes('none') && prompt.length > 1) return reject('invalid_request', 'prompt=none cannot go with other prompt values');
  const silent = prompt.includes('none');

  return {
    request: { type: responseType, clientID: client.id, redirectURI: redirectUri, scope, state, nonce, codeChallenge, silent },
  };
}
