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
/** How long transient failures are tried again after the page came back: a network just back may not work at once. */
const RETRY_AFTER_RETURN_MS = 30_000;

type RenewalEffects = Pick<
  Effects,
  'fetch' | 'now' | 'setTimeout' | 'clearTimeout' | 'getRandomValues' | 'onOnline' | 'onPageRestored' | 'withLock'
>;

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
 * under a Web Lock, where a tab that waited takes the tokens another one stored. A transient
 * failure (network, time limit, 5xx, 429) is tried again with capped exponential backoff and
 * jitter, honouring `Retry-After`, and at once when the browser comes back online, for as
 * long as the access token lasts, then reported once; a definitive answer (`invalid_grant`…)
 * is reported and drops the refresh token. When the access token runs out first (the page
 * sat in the back-forward cache, or was offline), the refresh token waits for the page to
 * be shown again or to come back online, and renews then.
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
  /** Transient failures are tried again until then: the access token's expiry, or a while after the page came back. */
  #retryUntil: number | null = null;
  #cancelTimer?: () => void;
  #stopWaitingForPage?: () => void;
  #renewing?: Promise<boolean>;
  /** A transient failure was reported since the last tokens came: said once, not at each try after it. */
  #failureReported = false;

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
    this.#failureReported = false;
    this.#schedule(granted.token);
  }

  /**
   * Renews at once (a resource server refused the token), joining a renewal already under
   * way instead of starting a second; resolves whether new tokens came.
   */
  renewNow(): Promise<boolean> {
    return this.#renewing ?? this.#renew(0);
  }

  /**
   * The access token ran out before it was renewed: a renewal under way goes on, else the
   * refresh token waits for the page to come back (see {@link #waitForPage}).
   */
  tokenExpired(): void {
    // A renewal timer still armed is overdue (the page was frozen) and fires soon: it renews too.
    if (!this.#renewing && !this.#stopWaitingForPage) this.#waitForPage();
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
    this.#retryUntil = token.expiresAt;
    if (!this.#refreshToken || !this.#config || token.expiresAt === null) return;
    this.#cancelTimer = callAt(this.#effects, renewalDueAt(token.expiresAt, this.#effects.now()), () => void this.#renew(0));
  }

  #cancel(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#stopWaitingForPage?.();
    this.#stopWaitingForPage = undefined;
  }

  /**
   * Renews when the browser comes back online, or the page is shown again from the
   * back-forward cache (where no timer ran): the moments a renewal that could not happen may succeed.
   */
  #waitForPage(): void {
    this.#stopWaitingForPage?.();
    if (!this.#refreshToken || !this.#config) return;
    const renew = () => {
      if (this.#renewing) return;
      this.#retryUntil = Math.max(this.#retryUntil ?? 0, this.#effects.now() + RETRY_AFTER_RETURN_MS);
      void this.#renew(0);
    };
    const stopOnline = this.#effects.onOnline(renew);
    const stopRestored = this.#effects.onPageRestored(renew);
    this.#stopWaitingForPage = () => {
      stopOnline();
      stopRestored();
    };
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
      const detail = toErrorDetail(error);
      if (!isTransient(detail)) {
        this.#refreshToken = undefined;
        this.#onFailed(detail);
        return false;
      }
      const retryAt = this.#retryAt(error, failures);
      if (retryAt !== null) this.#cancelTimer = callAt(this.#effects, retryAt, () => void this.#renew(failures + 1));
      else if (!this.#failureReported) {
        // The access token runs out before another try.
        this.#failureReported = true;
        this.#onFailed(detail);
      }
      this.#waitForPage();
      return false;
    }
  }

  /** When to try again after `failures` earlier transient failures and this `error`, or `null` when not before {@link #retryUntil}. */
  #retryAt(error: unknown, failures: number): number | null {
    if (this.#retryUntil === null) return null;
    const backoff = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** failures);
    // Full jitter over the upper half, so tabs and clients that failed together do not retry together.
    const jitter = (this.#effects.getRandomValues(new Uint8Array(1))[0] / 255) * (backoff / 2);
    const retryAfterMs = error instanceof OAuthError ? error.retryAfterMs : undefined;
    const at = this.#effects.now() + (retryAfterMs ?? backoff / 2 + jitter);
    return at < this.#retryUntil ? at : null;
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
