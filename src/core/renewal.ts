import type { DpopProver } from './dpop.js';
import type { Effects } from './effects.js';
import { OAuthError, toErrorDetail, type OAuthErrorDetail } from './errors.js';
import { checkIdToken } from './id-token.js';
import { callAt, renewalDueAt } from './long-timer.js';
import type { TokenDetail } from './token.js';
import { requestTokens, type GrantedTokens } from './token-endpoint.js';

/** Where and as whom to renew. */
export interface RenewalConfig {
  tokenUrl: string;
  clientId: string;
  scope: string;
  issuer?: string;
  /** The key the tokens are bound to: every refresh proves it (RFC 9449 §5). */
  dpop?: DpopProver;
}

/** The first wait after a transient failure; it doubles with each further one, up to the cap. */
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 60_000;

type RenewalEffects = Pick<Effects, 'fetch' | 'now' | 'setTimeout' | 'clearTimeout' | 'getRandomValues' | 'onOnline' | 'withLock'>;

/** How the renewals of one login take turns across the origin's tabs (and logins of a page). */
export interface SharedRenewal {
  /** The Web Lock held around each refresh, so that one tab at a time refreshes. */
  lockName: string;
  /**
   * Asked inside the lock, before a refresh: `true` when another tab has renewed or ended the
   * session since, so `refreshToken` is spent (a rotated one may not be used twice).
   */
  settledElsewhere(refreshToken: string): boolean;
}

/**
 * Keeps a session going with its refresh token (RFC 6749 §6): renews shortly before the
 * access token expires and hands the new tokens back. One renewal at a time: a timer is
 * the only caller, re-armed only after an answer; and one refresh at a time across tabs,
 * under a Web Lock, where a tab that waited takes the tokens another one stored. A transient failure (network, time
 * limit, 5xx, 429) is tried again with capped exponential backoff and jitter, honouring
 * `Retry-After`, and at once when the browser comes back online, for as long as the access
 * token lasts; a definitive answer (`invalid_grant`…) is final. Either way a renewal that
 * fails reports once and drops the refresh token, so the access token simply runs out.
 */
export class Renewal {
  readonly #effects: RenewalEffects;
  readonly #shared?: SharedRenewal;
  readonly #timeLimitMs: () => number;
  readonly #onRenewed: (granted: GrantedTokens) => void;
  readonly #onFailed: (error: OAuthErrorDetail) => void;
  /** `#private`, so no page script can read it here: it outlives the access token and is worth more to a thief. */
  #refreshToken?: string;
  #config?: RenewalConfig;
  #expiresAt: number | null = null;
  #cancelTimer?: () => void;
  #stopWaitingForOnline?: () => void;
  #renewing?: Promise<boolean>;

  constructor(
    effects: RenewalEffects,
    shared: SharedRenewal | undefined,
    timeLimitMs: () => number,
    onRenewed: (granted: GrantedTokens) => void,
    onFailed: (error: OAuthErrorDetail) => void,
  ) {
    this.#effects = effects;
    this.#shared = shared;
    this.#timeLimitMs = timeLimitMs;
    this.#onRenewed = onRenewed;
    this.#onFailed = onFailed;
  }

  /** Takes the refresh token that came with `granted` (if any) and arms renewal before its access token expires. */
  keep(granted: GrantedTokens, config?: RenewalConfig): void {
    if (config) this.#config = config;
    this.#refreshToken = granted.refreshToken;
    this.#schedule(granted.token);
  }

  /**
   * Renews at once (a resource server refused the token), joining a renewal already under
   * way instead of starting a second; resolves whether new tokens came.
   */
  renewNow(): Promise<boolean> {
    return this.#renewing ?? this.#renew(0);
  }

  /** Stops renewing and gives up the refresh token, for revocation. */
  stop(): string | undefined {
    const refreshToken = this.#refreshToken;
    this.#refreshToken = undefined;
    this.#cancel();
    return refreshToken;
  }

  #schedule(token: TokenDetail): void {
    this.#cancel();
    this.#expiresAt = token.expiresAt;
    if (!this.#refreshToken || !this.#config || token.expiresAt === null) return;
    this.#cancelTimer = callAt(this.#effects, renewalDueAt(token.expiresAt, this.#effects.now()), () => void this.#renew(0));
  }

  #cancel(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#stopWaitingForOnline?.();
    this.#stopWaitingForOnline = undefined;
  }

  #renew(failures: number): Promise<boolean> {
    this.#renewing = this.#attempt(failures).finally(() => (this.#renewing = undefined));
    return this.#renewing;
  }

  #attempt(failures: number): Promise<boolean> {
    this.#cancel();
    const refreshToken = this.#refreshToken;
    const config = this.#config;
    const shared = this.#shared;
    if (!refreshToken || !config) return Promise.resolve(false);
    if (!shared) return this.#refresh(refreshToken, config, failures);
    // The new tokens are kept (and stored, for the other tabs) before the lock is let go.
    return this.#effects.withLock(shared.lockName, async () =>
      this.#refreshToken !== refreshToken || shared.settledElsewhere(refreshToken) ? false : this.#refresh(refreshToken, config, failures),
    );
  }

  async #refresh(refreshToken: string, config: RenewalConfig, failures: number): Promise<boolean> {
    try {
      const granted = await refreshTokens(this.#effects, config, refreshToken, this.#timeLimitMs());
      if (this.#refreshToken !== refreshToken) return false; // stopped meanwhile
      this.#onRenewed(granted);
      return true;
    } catch (error) {
      if (this.#refreshToken !== refreshToken) return false;
      const retryAt = this.#retryAt(error, failures);
      if (retryAt !== null) {
        this.#cancelTimer = callAt(this.#effects, retryAt, () => void this.#renew(failures + 1));
        this.#stopWaitingForOnline = this.#effects.onOnline(() => void this.#renew(failures + 1));
        return false;
      }
      this.#refreshToken = undefined;
      this.#onFailed(toErrorDetail(error));
      return false;
    }
  }

  /** When to try again after `failures` earlier failures and this `error`, or `null` when not to. */
  #retryAt(error: unknown, failures: number): number | null {
    if (!(error instanceof OAuthError) || !isTransient(error.detail) || this.#expiresAt === null) return null;
    const backoff = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** failures);
    // Full jitter over the upper half, so tabs and clients that failed together do not retry together.
    const jitter = (this.#effects.getRandomValues(new Uint8Array(1))[0] / 255) * (backoff / 2);
    const at = this.#effects.now() + (error.retryAfterMs ?? backoff / 2 + jitter);
    return at < this.#expiresAt ? at : null;
  }
}

/** A failure that a later attempt may not meet: the network, a time limit, a server error or overload. */
function isTransient({ error, status }: OAuthErrorDetail): boolean {
  return error === 'network_error' || error === 'timeout' || (status !== undefined && (status >= 500 || status === 429));
}

/** Gets a new access token with a refresh token (RFC 6749 §6). */
async function refreshTokens(
  effects: RenewalEffects,
  config: RenewalConfig,
  refreshToken: string,
  timeLimitMs: number,
): Promise<GrantedTokens> {
  const granted = await requestTokens(
    effects,
    config.tokenUrl,
    { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: config.clientId },
    config.scope,
    timeLimitMs,
    config.dpop,
  );
  // RFC 6749 §6: the provider may keep the refresh token as it is.
  granted.refreshToken ??= refreshToken;
  if (granted.token.idToken) checkIdToken(granted.token.idToken, { issuer: config.issuer, clientId: config.clientId, now: effects.now() });
  return granted;
}
