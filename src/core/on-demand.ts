import { OAuthError } from './errors.js';

/**
 * The parts of core that only some logins need, each loaded on first use. In the script-tag
 * bundle each is a chunk beside it (dist/chunks/), so a page pays for a feature only when
 * it uses it; in the classic script and in npm builds they are simply there.
 */

/** Loads a part (once), and has it at hand, without waiting, once it is loaded. */
export interface OnDemand<T> {
  (): Promise<T>;
  /** The part, when a load of it has finished; a step that runs only after a load (a refresh token's renewal) reads it here. */
  readonly loaded: T | undefined;
}

/**
 * One load per part, kept: a second `import()` of a loaded module still waits for a task,
 * the kept promise only for a microtask. A chunk that cannot be fetched is a network
 * failure of the step that needed it, and the next step tries again.
 */
export function onDemand<T>(load: () => Promise<T>): OnDemand<T> {
  let loading: Promise<T> | undefined;
  let loaded: T | undefined;
  const get = () =>
    (loading ??= load().then(
      (part) => (loaded = part),
      () => {
        loading = undefined;
        throw new OAuthError('network_error', 'A part of oauth-elements could not be loaded');
      },
    ));
  return Object.defineProperty(get, 'loaded', { get: () => loaded }) as OnDemand<T>;
}

/** DPoP keys and proofs (RFC 9449), and keeping a refresh token bound to the key: only for `dpop`. */
export const loadDpop = onDemand(() => import('./dpop-binding.js'));
/**
 * What a login needs to talk to its provider directly: the token endpoint, discovery, ID
 * token checks, renewal by refresh token and sign-out at the provider. For `code`, `issuer`,
 * `revocation-url` and `id_token token`.
 */
export const loadProviderClient = onDemand(() => import('./provider-client.js'));
/**
 * Sending a token to a resource server (DPoP proofs, one renewal on a 401, the WWW-Authenticate
 * errors) and reading its JSON answer: for `login.fetch()` and `<oauth-fetch>`, fetched with
 * the first request.
 */
export const loadResourceRequest = onDemand(() => import('./resource-request.js'));
/** Waiting in the opener for a popup's response: only for `mode="popup"`. */
export const loadPopupWaiting = onDemand(() => import('./popup-response.js'));

/** The options that tell which parts a login will need (a login's own options, unchecked). */
interface PreloadHints {
  dpop?: boolean | null;
  responseType?: string | null;
  issuer?: string | null;
  revocationUrl?: string | null;
  mode?: string | null;
}

/** The parts a login with `options` will need, as far as its options already say. */
export function partsFor(options: PreloadHints): OnDemand<unknown>[] {
  const parts: OnDemand<unknown>[] = [];
  if (options.dpop) parts.push(loadDpop);
  if (options.responseType === 'code' || options.responseType === 'id_token token' || options.issuer || options.revocationUrl)
    parts.push(loadProviderClient);
  if (options.mode === 'popup') parts.push(loadPopupWaiting);
  return parts;
}

/**
 * Starts fetching, as soon as a login connects, every part its options already say it will
 * need, so that no step of a sign-in (the callback above all) waits for a chunk.
 */
export function preloadFor(options: PreloadHints): void {
  // A failure here is reported by the step that needs the part, if it is ever taken.
  for (const part of partsFor(options)) part().catch(() => undefined);
}
