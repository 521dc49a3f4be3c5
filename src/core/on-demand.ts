import { OAuthError } from './errors.js';

/**
 * The parts of core that only some logins need, each loaded on first use. In the script-tag
 * bundle each is a chunk beside it (dist/chunks/), so a page pays for a feature only when
 * it uses it; in the classic script and in npm builds they are simply there.
 */

/**
 * One load per part, kept: a second `import()` of a loaded module still waits for a task,
 * the kept promise only for a microtask. A chunk that cannot be fetched is a network
 * failure of the step that needed it, and the next step tries again.
 */
function onDemand<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () =>
    (loaded ??= load().catch(() => {
      loaded = undefined;
      throw new OAuthError('network_error', 'A part of oauth-elements could not be loaded');
    }));
}

/** DPoP keys and proofs (RFC 9449): only for `dpop`. */
export const loadDpop = onDemand(() => import('./dpop-key-store.js'));
/** The token endpoint, discovery and ID token checks: for `code`, `issuer` and revocation. */
export const loadProviderClient = onDemand(() => import('./provider-client.js'));

/** The options that tell which parts a login will need (a login's own options, unchecked). */
interface PreloadHints {
  dpop?: boolean | null;
  responseType?: string | null;
  issuer?: string | null;
  revocationUrl?: string | null;
}

/**
 * Starts fetching, as soon as a login connects, every part its options already say it will
 * need, so that no step of a sign-in (the callback above all) waits for a chunk.
 */
export function preloadFor(options: PreloadHints): void {
  // A failure here is reported by the step that needs the part, if it is ever taken.
  if (options.dpop) loadDpop().catch(() => undefined);
  if (options.responseType === 'code' || options.issuer || options.revocationUrl) loadProviderClient().catch(() => undefined);
}
