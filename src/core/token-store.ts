import type { Effects } from './effects.js';
import type { StorageKind } from './login-config.js';
import { callAt } from './long-timer.js';
import type { TokenDetail } from './token.js';

type TokenStoreEffects = Pick<Effects, 'now' | 'setTimeout' | 'clearTimeout' | 'sessionStorage' | 'localStorage'>;

export const TOKEN_KEY_PREFIX = 'oauth-elements:token:';

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
   * Keeps the token and watches its expiry. Returns `false` when the chosen storage refused
   * it (full, disabled, a private mode): the token then lives in memory for this page, and
   * no older copy stays behind in storage to come back on a reload.
   */
  save(token: TokenDetail): boolean {
    this.#token = token;
    this.#watchExpiry();
    const storage = this.#storage();
    try {
      storage?.setItem(TOKEN_KEY_PREFIX + this.#key, JSON.stringify(token));
      return true;
    } catch {
      storage?.removeItem(TOKEN_KEY_PREFIX + this.#key);
      this.#kind = 'memory';
      return false;
    }
  }

  /** Reads a token saved by an earlier page; an expired or unreadable one is deleted and not returned. */
  restore(): TokenDetail | null {
    const storage = this.#storage();
    const raw = storage?.getItem(TOKEN_KEY_PREFIX + this.#key);
    if (!storage || !raw) return null;
    const token = parseStoredToken(raw);
    if (!token || isExpired(token, this.#effects.now())) {
      storage.removeItem(TOKEN_KEY_PREFIX + this.#key);
      return null;
    }
    this.#token = token;
    this.#watchExpiry();
    return token;
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

function parseStoredToken(raw: string): TokenDetail | null {
  try {
    const value = JSON.parse(raw) as TokenDetail;
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
