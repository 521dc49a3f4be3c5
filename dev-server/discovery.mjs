import { scopeDescriptions } from './clients.mjs';

/**
 * RFC 8414 metadata, served at both well-known paths. The OpenID path is there so
 * `<oauth-login issuer=…>` can find the endpoints; this server issues no ID tokens.
 */
export function discoveryDocument(issuer) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    revocation_endpoint: `${issuer}/revoke`,
    response_types_supported: ['token', 'code'],
    response_modes_supported: ['query', 'fragment'],
    grant_types_supported: ['implicit', 'authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none'],
    revocation_endpoint_auth_methods_supported: ['none'],
    scopes_supported: [...scopeDescriptions.keys()],
    authorization_response_iss_parameter_supported: true,
    dpop_signing_alg_values_supported: ['ES256'],
  };
}
