import type { Effects } from './effects.js';
import { OAuthError } from './errors.js';

/**
 * The grant a sign-in asks for (`response-type`). It lives here, not in login-config.ts: the
 * provider client's modules import this file, and login-config.ts loads the provider client,
 * so an import of login-config.ts from here would close a circle.
 */
export type ResponseType = 'token' | 'id_token token' | 'code';

/** A sign-in the browser left the page for, remembered until its response comes back. */
export interface PendingRequest {
  state: string;
  /** Which element started it (see `ownerKey`). */
  owner: string;
  responseType: ResponseType;
  redirectUri: string;
  scope: string;
  createdAt: number;
  clientId: string;
  /** PKCE (code grant): the secret half, never sent until the code exchange. */
  codeVerifier?: string;
  tokenUrl?: string;
  /** OpenID Connect: the value the ID token must carry. */
  nonce?: string;
  /** The provider's issuer identifier, for RFC 9207 `iss` and ID token checks. */
  issuer?: string;
  requireIss?: boolean;
  /** The code is to be exchanged for DPoP-bound tokens. */
  dpop?: boolean;
  /** A redirect sign-in: this origin's path, query and fragment it started from (see return-to.ts). */
  returnTo?: string;
}

export type PendingLookup =
  { status: 'pending'; request: PendingRequest } | { status: 'expired'; request: PendingRequest } | { status: 'unknown' };

/** Long enough to sign in with a password manager and a second factor; short enough that a stale bookmark fails. */
export const PENDING_LIFETIME_MS = 10 * 60 * 1000;
const KEY_PREFIX = 'oauth-elements:pending:';

/**
 * Pending requests live in sessionStorage, keyed by `state`: it survives the round trip
 * to the provider, stays in this tab, and is gone when the tab closes.
 */
export class PendingRequestStore {
  readonly #effects: Pick<Effects, 'sessionStorage' | 'now'>;

  constructor(effects: Pick<Effects, 'sessionStorage' | 'now'>) {
    this.#effects = effects;
  }

  save(request: PendingRequest): void {
    const storage = this.#effects.sessionStorage();
    if (!storage) throw new OAuthError('invalid_config', 'A sign-in needs sessionStorage');
    this.purgeStale();
    try {
      storage.setItem(KEY_PREFIX + request.state, JSON.stringify(request));
    } catch {
      throw new OAuthError('storage_error', 'The browser refused to keep the sign-in request in sessionStorage (full or disabled)');
    }
  }

  /** Looks without consuming: used to find out which element a response belongs to. */
  lookup(state: string): PendingLookup {
    const raw = this.#effects.sessionStorage()?.getItem(KEY_PREFIX + state);
    const request = raw ? parsePending(raw) : null;
    if (request?.state !== state) return { status: 'unknown' };
    const age = this.#effects.now() - request.createdAt;
    return age >= 0 && age < PENDING_LIFETIME_MS ? { status: 'pending', request } : { status: 'expired', request };
  }

  /** Consumes the request: a second response with the same state finds nothing (replay). */
  take(state: string): PendingLookup {
    const found = this.lookup(state);
    this.#effects.sessionStorage()?.removeItem(KEY_PREFIX + state);
    return found;
  }

  purgeStale(): void {
    const storage = this.#effects.sessionStorage();
    if (!storage) return;
    for (const key of projectKeys(storage, KEY_PREFIX)) {
      const state = key.slice(KEY_PREFIX.length);
      if (this.lookup(state).status !== 'pending') storage.removeItem(key);
    }
  }
}

function parsePending(raw: string): PendingRequest | null {
  try {
    const value = JSON.parse(raw) as PendingRequest;
    return typeof value?.state === 'string' && typeof value.createdAt === 'number' ? value : null;
  } catch {
    return null;
  }
}

/** Keys with our prefix, collected first because removing while indexing shifts the indexes. */
function projectKeys(storage: Storage, prefix: string): string[] {
  const keys: string[] = [];
  for (let index = 0; index < storage.length; index++) {
    const key = storage.key(index);
    if (key?.startsWith(prefix)) keys.push(key);
  }
  return keys;
}
