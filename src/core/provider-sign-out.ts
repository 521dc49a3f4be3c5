import type { DpopProver } from './dpop.js';
import { toErrorDetail, type OAuthErrorDetail } from './errors.js';
import { timeLimitOf, type LoginOptions } from './login-options.js';
import { loadProviderClient } from './on-demand.js';
import type { SignedOutTokens, SignOutEffects } from './sign-out-at-provider.js';
import { loadSignIn } from './sign-in-on-demand.js';

/**
 * After the page forgot the tokens, without making the sign-out wait: signs out at the
 * provider of `options` (sign-out-at-provider.ts, loaded only when the provider has a
 * revocation or end-session endpoint), and reports through `failed`, once, what went wrong
 * there, so a page learns that a token stays valid at the provider.
 */
export function startProviderSignOut(
  effects: SignOutEffects,
  options: LoginOptions,
  tokens: Omit<SignedOutTokens, 'dpop'>,
  dpop: Promise<DpopProver> | undefined,
  endSession: boolean,
  failed: (error: OAuthErrorDetail) => void,
): void {
  const signOut = async () => {
    const prover = await dpop;
    // Without either, there is no revocation endpoint (an attribute, or discovered) and no end-session endpoint (discovered).
    if (!options.revocationUrl && !options.issuer) return;
    const config = await (await loadSignIn()).loadLoginConfig(effects, options);
    if (!config.revocationUrl && !(endSession && config.endSessionUrl)) return;
    const { signOutAtProvider } = await loadProviderClient();
    await signOutAtProvider(effects, config, { ...tokens, dpop: prover }, endSession, timeLimitOf(options));
  };
  signOut().catch((error: unknown) => failed(toErrorDetail(error)));
}
