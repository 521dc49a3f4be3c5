import type { Effects } from './effects.js';
import { toErrorDetail, type OAuthErrorDetail } from './errors.js';
import { checkIdToken } from './id-token.js';
import { callAt } from './long-timer.js';
import type { TokenDetail } from './token.js';
import { requestTokens, type GrantedTokens } from './token-endpoint.js';

/** Where and as whom to renew. */
export interface RenewalConfig {
  tokenUrl: string;
  clientId: string;
  scope: string;
  issuer?: string;
}

/** Renew this long before expiry, or at half the lifetime for short-lived tokens. */
const RENEWAL_MARGIN_MS = 60_000;

type RenewalEffects = Pick<Effects, 'fetch' | 'now' | 'setTimeout' | 'clearTimeout'>;

/**
 * Keeps a session going with its refresh token (RFC 6749 §6): renews shortly before the
 * access token expires and hands the new tokens back. One renewal at a time: the timer is
 * the only caller and is re-armed only after an answer. A failed renewal drops the refresh
 * token, so the access token simply runs out: never a retry loop.
 */
export class Renewal {
  readonly #effects: RenewalEffects;
  readonly #onRenewed: (granted: GrantedTokens) => void;
  readonly #onFailed: (error: OAuthErrorDetail) => void;
  /** Memory only, never storage, and `#private` so no page script can read it: it outlives the access token and is worth more to a thief. */
  #refreshToken?: string;
  #config?: RenewalConfig;
  #cancelTimer?: () => void;

  constructor(effects: RenewalEffects, onRenewed: (granted: GrantedTokens) => void, onFailed: (error: OAuthErrorDetail) => void) {
    this.#effects = effects;
    this.#onRenewed = onRenewed;
    this.#onFailed = onFailed;
  }

  /** Takes the refresh token that came with `granted` (if any) and arms renewal before its access token expires. */
  keep(granted: GrantedTokens, config?: RenewalConfig): void {
    if (config) this.#config = config;
    this.#refreshToken = granted.refreshToken;
    this.#schedule(granted.token);
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
    if (!this.#refreshToken || !this.#config || token.expiresAt === null) return;
    const lifetime = token.expiresAt - this.#effects.now();
    this.#cancelTimer = callAt(this.#effects, token.expiresAt - Math.min(RENEWAL_MARGIN_MS, lifetime / 2), () => void this.#renew());
  }

  #cancel(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }

  async #renew(): Promise<void> {
    const refreshToken = this.#refreshToken;
    const config = this.#config;
    if (!refreshToken || !config) return;
    try {
      const granted = await refreshTokens(this.#effects, config, refreshToken);
      if (this.#refreshToken !== refreshToken) return; // stopped meanwhile
      this.#onRenewed(granted);
    } catch (error) {
      this.#refreshToken = undefined;
      this.#onFailed(toErrorDetail(error));
    }
  }
}

/** Gets a new access token with a refresh token (RFC 6749 §6). */
async function refreshTokens(effects: Pick<Effects, 'fetch' | 'now'>, config: RenewalConfig, refreshToken: string): Promise<GrantedTokens> {
  const granted = await requestTokens(
    effects,
    config.tokenUrl,
    { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: config.clientId },
    config.scope,
  );
  // RFC 6749 §6: the provider may keep the refresh token as it is.
  granted.refreshToken ??= refreshToken;
  if (granted.token.idToken) checkIdToken(granted.token.idToken, { issuer: config.issuer, clientId: config.clientId, now: effects.now() });
  return granted;
}
