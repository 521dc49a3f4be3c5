import type { Effects } from './effects.js';
import type { StorageKind } from './login-options.js';
import { callAt } from './long-timer.js';
import type { TokenDetail } from './token.js';

type TokenStoreEffects = Pick<Effects, 'now' | 'setTimeout' | 'clearTimeout' | 'sessionStorage' | 'localStorage'>;

export const TOKEN_KEY_PREFIX = 'oauth-elements:token:';

/**
 * What page storage holds for one login: the token and, when it may be kept, its refresh
 * token (see refresh-keeper.ts, which alone reads and checks it). Only the token is ever announced.
 */
type StoredTokens = TokenDetail & { refresh?: unknown };

/**
 * Holds one element's token: in memory only (the default), or also in sessionStorage /
 * localStorage so a reload keeps the user signed in. Drops the token the moment it
 * expires, and checks again whenever it is asked for it, since timers in background tabs
 * can be late.
 */
export class TokenStore {
  readonly #effects: TokenStoreEffects;
  #kind: StorageKind;
  readonly #key: string;
  readonly #onExpired: () => void;
  #token: TokenDetail | null = null;
  #cancelTimer?: () => void;

  constructor(effects: TokenStoreEffects, kind: StorageKind, key: string, onExpired: () => void) {
    this.#effects = effects;
    this.#kind = kind;
    this.#key = key;
    this.#onExpired = onExpired;
  }

  /** The token, or `null` when there is none or it has just expired. */
  current(): TokenDetail | null {
    if (this.#token && isExpired(this.#token, this.#effects.now())) this.#expire();
    return this.#token;
  }

  /**
   * Keeps the token and watches its expiry; `refresh` goes to page storage only. Returns
   * `false` when the chosen storage refused them (full, disabled, a private mode): the token
   * then lives in memory for this page, and no older copy stays behind to come back on a reload.
   */
  save(token: TokenDetail, refresh?: unknown): boolean {
    this.#token = token;
    this.#watchExpiry();
    const storage = this.#storage();
    try {
      storage?.setItem(TOKEN_KEY_PREFIX + this.#key, JSON.stringify({ ...token, refresh } satisfies StoredTokens));
      return true;
    } catch {
      storage?.removeItem(TOKEN_KEY_PREFIX + this.#key);
      this.#kind = 'memory';
      return false;
    }
  }

  /** Reads a token saved by an earlier page; an expired or unreadable one is deleted and not returned. */
  restore(): TokenDetail | null {
    const stored = this.#read();
    if (!stored) return null;
    // The refresh token stays in storage: never part of what is announced.
    const token = { ...stored };
    delete token.refresh;
    this.#token = token;
    this.#watchExpiry();
    return token;
  }

  /** What is stored beside the access token now (another tab may have just replaced it), unchecked. */
  storedRefresh(): unknown {
    return this.#read()?.refresh;
  }

  clear(): void {
    this.#token = null;
    this.#stopWatching();
    this.#storage()?.removeItem(TOKEN_KEY_PREFIX + this.#key);
  }

  /** Re-arms the expiry timer after {@link pause}, expiring at once if the time has passed. */
  resume(): void {
    if (this.current()) this.#watchExpiry();
  }

  /** Stops the timer so a detached element holds no timer; {@link current} still checks expiry. */
  pause(): void {
    this.#stopWatching();
  }

  /** The valid record in storage; an expired or unreadable one is deleted, refresh token and all. */
  #read(): StoredTokens | null {
    const storage = this.#storage();
    const raw = storage?.getItem(TOKEN_KEY_PREFIX + this.#key);
    if (!storage || !raw) return null;
    const stored = parseStoredTokens(raw);
    if (stored && !isExpired(stored, this.#effects.now())) return stored;
    storage.removeItem(TOKEN_KEY_PREFIX + this.#key);
    return null;
  }

  #expire(): void {
    this.clear();
    this.#onExpired();
  }

  #watchExpiry(): void {
    this.#stopWatching();
    const expiresAt = this.#token?.expiresAt;
    if (expiresAt != null) this.#cancelTimer = callAt(this.#effects, expiresAt, () => this.current());
  }

  #stopWatching(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }

  #storage(): Storage | null {
    if (this.#kind === 'session') return this.#effects.sessionStorage();
    if (this.#kind === 'local') return this.#effects.localStorage();
    return null;
  }
}

function isExpired(token: TokenDetail, now: number): boolean {
  return token.expiresAt !== null && now >= token.expiresAt;
}

function parseStoredTokens(raw: string): StoredTokens | null {
  try {
    const value = JSON.parse(raw) as StoredTokens;
    const valid =
      typeof value?.accessToken === 'string' &&
      (value.tokenType === 'Bearer' || value.tokenType === 'DPoP') &&
      (value.expiresAt === null || typeof value.expiresAt === 'number') &&
      typeof value.scope === 'string';
    return valid ? value : null;
  } catch {
    return null;
  }
}
