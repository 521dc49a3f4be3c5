import type { Effects } from './effects.js';
import { OAuthError } from './errors.js';
import { MAX_PROVIDER_RESPONSE_BYTES, readBoundedText } from './response-body.js';
import { requireSecureUrl } from './secure-url.js';
import { PROVIDER_TIME_LIMIT_MS, withTimeLimit } from './time-limit.js';

/** The parts of an OpenID Provider's metadata (OpenID Connect Discovery 1.0 §3) this package uses. */
export interface ProviderMetadata {
  issuer: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  revocation_endpoint?: string;
  end_session_endpoint?: string;
  authorization_response_iss_parameter_supported?: boolean;
  dpop_signing_alg_values_supported?: string[];
}

/** One request per issuer per page, however many elements ask. */
const cache = new Map<string, Promise<ProviderMetadata>>();

/**
 * Fetches `/.well-known/openid-configuration` of `issuer`. The document's `issuer` must
 * equal the attribute exactly (Discovery §4.3): otherwise another provider could pose as
 * this one. Every endpoint must be https (or loopback http).
 */
export function discoverProvider(
  effects: Pick<Effects, 'fetch' | 'setTimeout' | 'clearTimeout'>,
  issuer: string,
  timeLimitMs = PROVIDER_TIME_LIMIT_MS,
): Promise<ProviderMetadata> {
  let metadata = cache.get(issuer);
  if (!metadata) {
    metadata = fetchMetadata(effects, issuer, timeLimitMs);
    cache.set(issuer, metadata);
    // A failure is not cached: the next sign-in tries again.
    metadata.catch(() => cache.delete(issuer));
  }
  return metadata;
}

async function fetchMetadata(
  effects: Pick<Effects, 'fetch' | 'setTimeout' | 'clearTimeout'>,
  issuer: string,
  timeLimitMs: number,
): Promise<ProviderMetadata> {
  const issuerUrl = requireSecureUrl(issuer, 'issuer');
  if (!issuerUrl || issuerUrl.search || issuerUrl.hash)
    throw new OAuthError('invalid_config', 'issuer must be a URL without query or fragment');
  const documentUrl = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const text = await withTimeLimit(effects, timeLimitMs, documentUrl, async (signal) => {
    let response: Response;
    try {
      response = await effects.fetch(documentUrl, {
        credentials: 'omit',
        redirect: 'error',
        headers: { Accept: 'application/json' },
        signal,
      });
    } catch {
      throw new OAuthError('network_error', `Could not fetch ${documentUrl}`);
    }
    if (!response.ok) throw new OAuthError('http_error', `${documentUrl} answered HTTP ${response.status}`, { status: response.status });
    return readBoundedText(response, MAX_PROVIDER_RESPONSE_BYTES, documentUrl);
  });
  let metadata: ProviderMetadata;
  try {
    metadata = JSON.parse(text) as ProviderMetadata;
  } catch {
    throw new OAuthError('invalid_config', `${documentUrl} is not JSON`);
  }
  if (metadata?.issuer !== issuer) {
    throw new OAuthError('invalid_config', `${documentUrl} names issuer "${String(metadata?.issuer)}", not "${issuer}"`);
  }
  for (const name of ['authorization_endpoint', 'token_endpoint', 'revocation_endpoint', 'end_session_endpoint'] as const) {
    const endpoint: unknown = metadata[name];
    if (endpoint !== undefined && (typeof endpoint !== 'string' || !requireSecureUrl(endpoint, `The discovered ${name}`))) {
      throw new OAuthError('invalid_config', `The discovered ${name} is not a URL`);
    }
  }
  return metadata;
}

/** For tests: forget what was discovered. */
export function clearDiscoveryCache(): void {
  cache.clear();
}
