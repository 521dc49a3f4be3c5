/**
 * What a login with `dpop` needs beyond the plain flows: its key (kept in IndexedDB when
 * the token storage persists) and the refresh token that, being bound to that key, may be
 * kept in page storage beside the access token. One on-demand chunk (see on-demand.ts).
 */
export { DpopKeyStore } from './dpop-key-store.js';
export { RefreshKeeper } from './refresh-keeper.js';
