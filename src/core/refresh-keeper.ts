import type { DpopProver } from './dpop.js';
import type { Effects } from './effects.js';
import type { OAuthErrorDetail } from './errors.js';
import type { Renewal, RenewalConfig, SharedRenewal } from './renewal.js';
import type { TokenDetail } from './token.js';
import type { GrantedTokens } from './token-endpoint.js';

/**
 * A DPoP-bound refresh token as page storage keeps it beside its access token: worthless
 * without the non-extractable key whose RFC 7638 thumbprint (`jkt`) it names, so a copy
 * taken from storage cannot be used elsewhere.
 */
export interface StoredRefresh {
  refreshToken: string;
  jkt: string;
  tokenUrl: string;
  issuer?: string;
}

/** What it needs of the login's TokenStore (token-store.ts). */
interface TokenStore {
  current(): TokenDetail | null;
  save(token: TokenDetail, refresh?: unknown): boolean;
  storedRefresh(): unknown;
}

/** Who the refresh token belongs to. */
export interface RefreshOwner {
  /** The Web Lock each refresh holds: one per login, across the origin's tabs. */
  lockName: string;
  clientId: string;
  timeLimitMs(): number;
  /** The login's DPoP prover, whose key the refresh token is bound to. */
  dpop(): Promise<DpopProver>;
}

/** What a kept refresh token tells its login. */
export interface RefreshEvents {
  renewed(granted: GrantedTokens): void;
  /** Another tab renewed while this one waited to: its tokens are in storage, for the login to take. */
  renewedElsewhere(): void;
  renewalFailed(error: OAuthErrorDetail): void;
}

/**
 * A `dpop` login's refresh token: renews with it (renewal.ts), keeps it in page storage
 * beside the access token when the storage persists (so does the key, in IndexedDB), and
 * takes turns with the origin's other tabs, so that a reload or another tab goes on
 * renewing. Without `dpop` a refresh token is a bearer one, which anyone who reads it could
 * use: a plain Renewal keeps it in the page's memory.
 */
export class RefreshKeeper implements SharedRenewal {
  readonly lockName: string;
  readonly #owner: RefreshOwner;
  readonly #store: TokenStore;
  readonly #events: RefreshEvents;
  readonly #renewal: Renewal;
  /** Where the refresh token renews, kept for the renewals that follow a sign-in. */
  #config?: RenewalConfig;
  /** The current refresh token is in page storage, where other tabs may replace it. */
  #stored = false;

  constructor(effects: Effects, owner: RefreshOwner, store: TokenStore, events: RefreshEvents, RenewalClass: typeof Renewal) {
    this.lockName = owner.lockName;
    this.#owner = owner;
    this.#store = store;
    this.#events = events;
    this.#renewal = new RenewalClass(
      effects,
      this,
      () => owner.timeLimitMs(),
      (granted) => events.renewed(granted),
      (error) => {
        this.#forgetStored();
        events.renewalFailed(error);
      },
    );
  }

  /** What page storage may keep of `granted`'s refresh token: only a DPoP-bound one, with where it renews. */
  storable(granted: GrantedTokens, config: RenewalConfig | undefined = this.#config): StoredRefresh | undefined {
    const { refreshToken, boundTo } = granted;
    if (!refreshToken || !boundTo || !config) return undefined;
    return { refreshToken, jkt: boundTo, tokenUrl: config.tokenUrl, ...(config.issuer ? { issuer: config.issuer } : {}) };
  }

  /** Arms renewal with `granted`'s refresh token; `stored` says whether page storage took it. */
  keep(granted: GrantedTokens, config: RenewalConfig | undefined, stored: boolean): void {
    if (config) this.#config = config;
    this.#stored = stored;
    this.#renewal.keep(granted, config);
  }

  /**
   * Takes up the refresh token an earlier page or another tab stored beside `token`, once
   * the key it is bound to is found to be this login's.
   */
  async resume(token: TokenDetail, stored: unknown): Promise<void> {
    if (!isStoredRefresh(stored)) return;
    const dpop = await this.#owner.dpop();
    if (this.#store.current()?.accessToken !== token.accessToken) return; // replaced or ended meanwhile
    // The key was lost since (IndexedDB cleared, storage copied from elsewhere): the refresh token is worthless.
    if ((await dpop.thumbprint()) !== stored.jkt) return this.#forgetStored();
    const { tokenUrl, issuer } = stored;
    const config = { tokenUrl, issuer, clientId: this.#owner.clientId, scope: token.scope, dpop };
    this.keep({ token, refreshToken: stored.refreshToken, boundTo: stored.jkt }, config, true);
  }

  renewNow(): Promise<boolean> {
    return this.#renewal.renewNow();
  }

  /** The access token ran out first; its record, refresh token and all, left storage with it (see Renewal.tokenExpired). */
  tokenExpired(): void {
    this.#stored = false;
    this.#renewal.tokenExpired();
  }

  /** Stops renewing and gives up the refresh token, for revocation. */
  stop(): string | undefined {
    this.#stored = false;
    return this.#renewal.stop();
  }

  /** See {@link SharedRenewal.settledElsewhere}; the renewal asks it holding the lock. */
  settledElsewhere(refreshToken: string): boolean {
    const stored = this.#store.storedRefresh();
    const renewedElsewhere = isStoredRefresh(stored) && stored.refreshToken !== refreshToken;
    // Kept in storage and gone from it: refused in another tab, or signed out there.
    const endedElsewhere = this.#stored && !isStoredRefresh(stored);
    if (!renewedElsewhere && !endedElsewhere) return false;
    this.stop();
    if (renewedElsewhere) this.#events.renewedElsewhere();
    return true;
  }

  /** Keeps the access token in storage without the refresh token beside it. */
  #forgetStored(): void {
    this.#stored = false;
    const token = this.#store.current();
    if (token && this.#store.storedRefresh() !== undefined) this.#store.save(token);
  }
}

function isStoredRefresh(value: unknown): value is StoredRefresh {
  const stored = value as Partial<StoredRefresh> | undefined;
  return (
    typeof stored?.refreshToken === 'string' &&
    typeof stored.jkt === 'string' &&
    typeof stored.tokenUrl === 'string' &&
    (stored.issuer === undefined || typeof stored.issuer === 'string')
  );
}
