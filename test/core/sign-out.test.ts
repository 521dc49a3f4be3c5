import { expect, waitUntil } from '@open-wc/testing';
import { clearDiscoveryCache } from '../../src/core/discovery.js';
import type { LoginOptions } from '../../src/core/login-config.js';
import { CODE_GRANT, createTestSession, ISSUER, jwt, PAGE, settle, signInAndLand } from '../helpers/session-harness.js';

const setUp = (options: LoginOptions = {}) => createTestSession({ ...CODE_GRANT, ...options });

describe('signing out at the provider', () => {
  beforeEach(clearDiscoveryCache);

  it('clears locally first, then revokes the refresh and access tokens (RFC 7009)', async () => {
    const context = setUp({ revocationUrl: `${ISSUER}/revoke` });
    context.provider.answerTokens({ access_token: 'at', token_type: 'Bearer', refresh_token: 'rt' });
    const { session } = await signInAndLand(context, (state) => `?code=c&state=${state}`);
    session.signOut();
    expect(session.token).to.equal(null);
    expect(context.heard.order).to.deep.equal(['token', 'signout:user']);
    await waitUntil(() => context.provider.revocations().length === 2, 'both revocations');
    const revocations = context.provider.revocations();
    expect(revocations).to.deep.equal([
      { token: 'rt', token_type_hint: 'refresh_token', client_id: 'app' },
      { token: 'at', token_type_hint: 'access_token', client_id: 'app' },
    ]);
  });

  it('is not blocked by a failing revocation', async () => {
    const context = setUp({ revocationUrl: `${ISSUER}/revoke` });
    context.provider.answerTokens({ access_token: 'at', token_type: 'Bearer' });
    const { session } = await signInAndLand(context, (state) => `?code=c&state=${state}`);
    context.effects.fetch = () => Promise.reject(new TypeError('offline'));
    session.signOut();
    await settle();
    expect(context.heard.order).to.deep.equal(['token', 'signout:user']);
  });

  it('ends the session at the provider when asked, with id_token_hint', async () => {
    const context = setUp({ authorizeUrl: null, tokenUrl: null, issuer: ISSUER, scope: 'openid' });
    let nonce = '';
    context.provider.tokenAnswers.push(() =>
      Response.json({ access_token: 'at', token_type: 'Bearer', id_token: jwt({ iss: ISSUER, aud: 'app', exp: 2e9, nonce }) }),
    );
    const { session } = await signInAndLand(
      context,
      (state, auth) => ((nonce = auth.searchParams.get('nonce')!), `?code=c&state=${state}&iss=${encodeURIComponent(ISSUER)}`),
    );
    session.signOut('user', { endSession: true });
    // The sign-in's navigation, then the end-session one.
    await waitUntil(() => context.effects.navigations.length === 2, 'the end-session navigation');
    const logout = new URL(context.effects.navigations.at(-1)!);
    expect(logout.origin + logout.pathname).to.equal(`${ISSUER}/logout`);
    expect(logout.searchParams.get('id_token_hint')).to.equal(session.token?.idToken ?? logout.searchParams.get('id_token_hint'));
    expect(logout.searchParams.get('post_logout_redirect_uri')).to.equal(PAGE);
  });
});
