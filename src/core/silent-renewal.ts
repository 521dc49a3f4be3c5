import type { Effects } from './effects.js';
import { toErrorDetail, type OAuthErrorDetail } from './errors.js';
import type { LoginOptions } from './login-options.js';
import { callAt, renewalDueAt } from './long-timer.js';
import { authorizeSilently } from './silent-authorization.js';
import type { TokenDetail } from './token.js';
import type { GrantedTokens } from './token-endpoint.js';

/** What it tells the login's credentials (login-credentials.ts `CredentialEvents`). */
interface SilentRenewalEvents {
  renewed(granted: GrantedTokens): void;
  renewalFailed(error: OAuthErrorDetail): void;
}

/**
 * The answers that say the provider wants the user (OpenID Connect Core §3.1.2.6), or no
 * answer in time (a frame the provider will not show, a blocked cookie): the normal end of
 * a silent session, so the token simply runs out (`signout` `expired`) with no error.
 */
const NEEDS_THE_USER = new Set(['login_required', 'interaction_required', 'consent_required', 'account_selection_required', 'timeout']);

/**
 * Keeps an implicit-grant session going without a refresh token (loaded on demand when
 * such a token arrives): one `prompt=none` sign-in in a hidden frame shortly before the
 * token expires (silent-authorization.ts). One attempt per token, never retried: new
 * tokens (which arm their own attempt), or the token simply runs out (with one report when
 * the answer was not one of {@link NEEDS_THE_USER}: a forged or malformed response…). A
 * provider that needs the user (`login_required`…) so costs one request per token, never a loop.
 */
export class SilentRenewal {
  readonly #effects: Effects;
  readonly #options: LoginOptions;
  readonly #events: SilentRenewalEvents;
  #cancelTimer?: () => void;
  /** The attempt under way: aborted when the token goes or another arrives, so its answer counts for nothing. */
  #attempt?: AbortController;

  constructor(effects: Effects, options: LoginOptions, events: SilentRenewalEvents) {
    this.#effects = effects;
    this.#options = options;
    this.#events = events;
  }

  /** Arms the one attempt for `token`, replacing whatever was armed or under way for the one before. */
  keep(token: TokenDetail): void {
    this.stop();
    if (token.expiresAt === null) return;
    this.#cancelTimer = callAt(this.#effects, renewalDueAt(token.expiresAt, this.#effects.now()), () => void this.#renew());
  }

  stop(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#attempt?.abort();
    this.#attempt = undefined;
  }

  async #renew(): Promise<void> {
    this.#cancelTimer = undefined;
    const attempt = (this.#attempt = new AbortController());
    try {
      const granted = await authorizeSilently(this.#effects, this.#options, attempt.signal);
      if (attempt.signal.aborted) return;
      this.#attempt = undefined;
      this.#events.renewed(granted);
    } catch (error) {
      if (attempt.signal.aborted) return;
      this.#attempt = undefined;
      const detail = toErrorDetail(error);
      if (!NEEDS_THE_USER.has(detail.error)) this.#events.renewalFailed(detail);
    }
  }
}
