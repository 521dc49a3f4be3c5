import { RESPONSE_TYPES, scopeDescriptions } from './clients.mjs';

/** Where the public key that signs ID tokens is published (a JWK Set, RFC 7517 §5). */
export const jwksPath = '/jwks';

/**
 * RFC 8414 metadata, served at both well-known paths; the OpenID path also serves as OpenID
 * Connect Discovery 1.0 metadata, for `<oauth-login issuer=…>` and for the ID tokens that
 * `id_token token` brings (signed ES256 with the key at `jwks_uri`).
 */
export function discoveryDocument(issuer) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    revocation_endpoint: `${issuer}/revoke`,
    jwks_uri: `${issuer}${jwksPath}`,
    response_types_supported: [...RESPONSE_TYPES],
    response_modes_supported: ['query', 'fragment'],
    grant_types_supported: ['implicit', 'authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none'],
    revocation_endpoint_auth_methods_supported: ['none'],
    scopes_supported: [...scopeDescriptions.keys()],
    authorization_response_iss_parameter_supported: true,
    dpop_signing_alg_values_supported: ['ES256'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['ES256'],
  };
}
