import { onDemand } from './on-demand.js';

/**
 * Building authorization requests, and checking a login's options against each other and its
 * provider (authorization-request.ts, login-config.ts): a chunk of the script-tag bundle,
 * fetched when a person reaches for the sign-in button ({@link prepareSignIn}), at a
 * sign-in, and for a sign-out at the provider. Not in on-demand.ts, which login-config.ts
 * imports: imports form no circle.
 */
export const loadSignIn = onDemand(() => import('./authorization-request.js'));

/**
 * Starts fetching it before a sign-in is asked for: `<oauth-login>` calls it when a pointer or
 * the focus reaches its button. Once it is here, a sign-in starts within the call that asks.
 */
export function prepareSignIn(): void {
  loadSignIn().catch(() => undefined);
}
