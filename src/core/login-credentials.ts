import type { Credentials } from './authorized-fetch.js';
import type { DpopProver } from './dpop.js';
import type { DpopKeyStore } from './dpop-key-store.js';
import type { Effects } from './effects.js';
import type { OAuthErrorDetail } from './errors.js';
import { ownerKey, parseStorageKind, timeLimitOf, type LoginOptions } from './login-options.js';
import { loadDpop, loadProviderClient, onDemand } from './on-demand.js';
import type * as ProviderClientModule from './provider-client.js';
import type { RefreshEvents } from './refresh-keeper.js';
import type { RenewalConfig } from './renewal.js';
import type { SilentRenewal } from './silent-renewal.js';
import type { TokenDetail } from './token.js';
import type { GrantedTokens } from './token-endpoint.js';
import { TokenStore } from './token-store.js';

/**
 * Silent renewal in a hidden frame, for the implicit grants. Loaded from here, not from
 * on-demand.ts: it needs login-config.ts, which needs on-demand.ts (no import circle).
 */
export const loadSilentRenewal = onDemand(() => import('./silent-renewal.js'));

type ProviderClient = typeof ProviderClientModule;

/** A refresh token's renewal: a Renewal (memory only), or with `dpop` a RefreshKeeper, which may also store and resume it. */
interface RefreshRenewal {
  keep(granted: GrantedTokens, config?: RenewalConfig, stored?: boolean): void;
  renewNow(): Promise<boolean>;
  tokenExpired(): void;
  stop(): string | undefined;
  storable?(granted: GrantedTokens, config?: RenewalConfig): unknown;
  resume?(token: TokenDetail, stored: unknown): Promise<void>;
}

/** What the credentials tell their session. */
export interface CredentialEvents extends RefreshEvents {
  renewalFailed(error: OAuthErrorDetail): void;
  expired(): void;
}

/**
 * What one login holds once signed in: the access token (in its store, and in page storage
 * when asked), the refresh token (with its renewal, see refresh-keeper.ts for where it is
 * kept) and the DPoP key both are bound to. Every token comes in through {@link accept} or
 * {@link restore} and goes with {@link forget}.
 */
export class LoginCredentials implements Credentials {
  readonly #effects: Effects;
  readonly #options: LoginOptions;
  readonly #events: CredentialEvents;
  /** Made with the first refresh token, which only the token endpoint gives, so its chunk is loaded by then. */
  #refresh?: RefreshRenewal;
  /** The implicit grants' renewal (no refresh token), made once its chunk is loaded. */
  #silent?: SilentRenewal;
  #store: TokenStore | null = null;
  #dpopKeys?: Promise<DpopKeyStore>;

  constructor(effects: Effects, options: LoginOptions, events: CredentialEvents) {
    this.#effects = effects;
    this.#options = options;
    this.#events = events;
  }

  /** Made on first use, because the storage kind comes from an attribute the page may set late. */
  get store(): TokenStore {
    this.#store ??= new TokenStore(this.#effects, parseStorageKind(this.#options.storage) ?? 'memory', ownerKey(this.#options), () => {
      this.#silent?.stop();
      // A refresh token outlives its access token: it renews once the page is back (renewal.ts).
      this.#refresh?.tokenExpired();
      this.#events.expired();
    });
    return this.#store;
  }

  /** The access token, or `null` when there is none or it has just expired. */
  token(): TokenDetail | null {
    return this.#store?.current() ?? null;
  }

  /** This login's DPoP prover: one key per login, kept in IndexedDB when the token storage persists. */
  dpop(): Promise<DpopProver> {
    this.#dpopKeys ??= loadDpop().then(
      ({ DpopKeyStore }) => new DpopKeyStore(this.#effects, parseStorageKind(this.#options.storage) ?? 'memory'),
    );
    return this.#dpopKeys.then((keys) => keys.prover(ownerKey(this.#options), this.#effects));
  }

  renew(): Promise<boolean> {
    return this.#refresh?.renewNow() ?? Promise.resolve(false);
  }

  /**
   * Keeps new tokens and arms their renewal (`renewal` says where, for a new sign-in).
   * Returns `false` when page storage refused the access token, which then lives in memory.
   */
  accept(granted: GrantedTokens, renewal?: RenewalConfig): boolean {
    const client = loadProviderClient.loaded;
    const refreshing = granted.refreshToken && client ? this.#refreshWith(client) : this.#refresh;
    const persists = parseStorageKind(this.#options.storage) !== 'memory';
    const refresh = persists ? refreshing?.storable?.(granted, renewal) : undefined;
    const persisted = this.store.save(granted.token, refresh);
    refreshing?.keep(granted, renewal, persisted && refresh !== undefined);
    if ((this.#options.responseType || 'token') !== 'code') this.#renewSilently(granted.token);
    return persisted;
  }

  /**
   * Takes the token an earlier page or another tab stored and, for `dpop`, the refresh token
   * stored beside it, once their parts are loaded. Returns the token when it is new here
   * (`null` when storage holds none, or the one this login already has).
   */
  restore(): TokenDetail | null {
    const before = this.token()?.accessToken;
    const token = this.store.restore();
    if (!token || token.accessToken === before) return null;
    const refresh = this.store.storedRefresh();
    if (refresh !== undefined && this.#options.dpop) {
      Promise.all([loadProviderClient(), loadDpop()]).then(([client]) => this.#refreshWith(client).resume?.(token, refresh), Boolean);
    }
    return token;
  }

  /** Made with the first refresh token; its parts are loaded by then. */
  #refreshWith(client: ProviderClient): RefreshRenewal {
    const timeLimitMs = () => timeLimitOf(this.#options);
    const events = this.#events;
    const dpop = this.#options.dpop ? loadDpop.loaded : undefined;
    const owner = {
      lockName: `oauth-elements:refresh:${ownerKey(this.#options)}`,
      clientId: this.#options.clientId?.trim() ?? '',
      timeLimitMs,
      dpop: () => this.dpop(),
    };
    return (this.#refresh ??= dpop
      ? new dpop.RefreshKeeper(this.#effects, owner, this.store, events, client.Renewal)
      : new client.Renewal(
          this.#effects,
          undefined,
          timeLimitMs,
          (granted) => events.renewed(granted),
          (error) => events.renewalFailed(error),
        ));
  }

  /**
   * Arms the one silent attempt for an implicit-grant token. Its part is fetched on the
   * token's arrival, long before it is due, but only once the token is announced (a
   * microtask later): starting a module load is a millisecond the callback need not wait.
   * A token gone or replaced meanwhile arms nothing, and without its part the token runs
   * out as it would have.
   */
  #renewSilently(token: TokenDetail): void {
    Promise.resolve()
      .then(loadSilentRenewal)
      .then(({ SilentRenewal }) => {
        if (this.token()?.accessToken === token.accessToken)
          (this.#silent ??= new SilentRenewal(this.#effects, this.#options, this.#events)).keep(token);
      }, Boolean);
  }

  /** Drops the tokens and stops renewing; returns the refresh token, for revocation. */
  forget(): string | undefined {
    this.#store?.clear();
    this.#silent?.stop();
    return this.#refresh?.stop();
  }

  /**
   * Deletes the DPoP key of a `DPoP` token, here and in IndexedDB, at sign-out: the tokens
   * bound to it die with it. Returns the prover, which revocation still needs.
   */
  dropDpopKey(token: TokenDetail): Promise<DpopProver> | undefined {
    if (token.tokenType !== 'DPoP') return undefined;
    const prover = this.dpop();
    void this.#dpopKeys?.then((keys) => keys.delete(ownerKey(this.#options)));
    return prover;
  }
}
