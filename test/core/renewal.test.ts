import { expect, waitUntil } from '@open-wc/testing';
import { clearDiscoveryCache } from '../../src/core/discovery.js';
import type { OAuthErrorDetail } from '../../src/core/errors.js';
import type { LoginOptions } from '../../src/core/login-options.js';
import { Renewal, type RenewalConfig } from '../../src/core/renewal.js';
import type { GrantedTokens } from '../../src/core/token-endpoint.js';
import { FakeEffects } from '../helpers/fake-effects.js';
import { reachableStrings } from '../helpers/reachable-strings.mjs';
import { CODE_GRANT, createTestSession, FakeProvider, ISSUER, PAGE, settle, signInAndLand } from '../helpers/session-harness.js';

const CONFIG: RenewalConfig = { tokenUrl: `${ISSUER}/token`, clientId: 'app', scope: 'read' };

/** A Renewal on its own, re-armed with each renewed token as the session does. */
function setUpRenewal() {
  const effects = new FakeEffects(PAGE);
  const provider = new FakeProvider();
  effects.fetch = provider.fetch as typeof fetch;
  const renewed: GrantedTokens[] = [];
  const failures: OAuthErrorDetail[] = [];
  const renewal: Renewal = new Renewal(
    effects,
    undefined,
    // Longer than any wait below, so only the tests about time limits meet it.
    () => 3_600_000,
    (granted) => (renewed.push(granted), renewal.keep(granted)),
    (error) => failures.push(error),
  );
  /** Tokens as the token endpoint just gave them: `lifetimeMs` from now. */
  const granted = (lifetimeMs: number, refreshToken?: string): GrantedTokens => ({
    token: { accessToken: 'at', tokenType: 'Bearer', expiresAt: effects.now() + lifetimeMs, scope: 'read' },
    ...(refreshToken ? { refreshToken } : {}),
  });
  return { effects, provider, renewal, renewed, failures, granted };
}

describe('Renewal on its own', () => {
  it('renews a minute before expiry, with the refresh token, client and scope', async () => {
    const { effects, provider, renewal, renewed, granted } = setUpRenewal();
    provider.answerTokens({ access_token: 'at2', token_type: 'Bearer', expires_in: 600, refresh_token: 'rt2' });
    renewal.keep(granted(600_000, 'rt1'), CONFIG);
    effects.advance(539_999);
    expect(provider.tokenRequests()).to.have.length(0);
    effects.advance(1);
    await waitUntil(() => renewed.length === 1, 'the renewed tokens', { timeout: 5000 });
    expect(Object.fromEntries(provider.tokenRequests()[0])).to.deep.equal({
      grant_type: 'refresh_token',
      refresh_token: 'rt1',
      client_id: 'app',
    });
    expect(renewed[0].token.accessToken).to.equal('at2');
    expect(renewed[0].refreshToken).to.equal('rt2');
  });

  it('renews a short-lived token at half its lifetime', async () => {
    const { effects, provider, renewal, renewed, granted } = setUpRenewal();
    provider.answerTokens({ access_token: 'at2', token_type: 'Bearer', expires_in: 60 });
    renewal.keep(granted(60_000, 'rt1'), CONFIG);
    effects.advance(29_999);
    expect(provider.tokenRequests()).to.have.length(0);
    effects.advance(1);
    await waitUntil(() => renewed.length === 1, 'the renewed tokens', { timeout: 5000 });
  });

  it('keeps the refresh token when the provider sends no new one (RFC 6749 §6)', async () => {
    const { effects, provider, renewal, renewed, granted } = setUpRenewal();
    provider.answerTokens({ access_token: 'at2', token_type: 'Bearer', expires_in: 600 });
    renewal.keep(granted(600_000, 'rt1'), CONFIG);
    effects.advance(540_000);
    await waitUntil(() => renewed.length === 1, 'the renewed tokens', { timeout: 5000 });
    expect(renewed[0].refreshToken).to.equal('rt1');
    expect(renewal.stop()).to.equal('rt1');
  });

  it('asks for one renewal at a time: no renewal timer while a refresh request is out, only its time limit', async () => {
    const { effects, provider, renewal, renewed, granted } = setUpRenewal();
    let answer!: () => void;
    provider.tokenAnswers.push(() => Response.json({ access_token: 'at2', token_type: 'Bearer', expires_in: 600 }));
    const fetchNow = provider.fetch;
    effects.fetch = ((...args: Parameters<typeof fetch>) =>
      new Promise<void>((resolve) => (answer = resolve)).then(() => fetchNow(...args))) as typeof fetch;
    renewal.keep(granted(600_000, 'rt1'), CONFIG);
    effects.advance(540_000);
    // The request goes out once the provider client (loaded on demand) is there.
    await waitUntil(() => answer !== undefined, 'the refresh request', { timeout: 5000 });
    expect(effects.pendingTimers).to.equal(1);
    expect(effects.requestedDelays.at(-1)).to.equal(3_600_000);
    effects.advance(60_000);
    answer();
    await waitUntil(() => renewed.length === 1, 'the renewed tokens', { timeout: 5000 });
    expect(provider.tokenRequests()).to.have.length(1);
    expect(effects.pendingTimers).to.equal(1);
  });

  it('does not renew without a refresh token, or a token without a lifetime', () => {
    const { effects, renewal, granted } = setUpRenewal();
    renewal.keep(granted(600_000), CONFIG);
    expect(effects.pendingTimers).to.equal(0);
    renewal.keep({ token: { ...granted(0).token, expiresAt: null }, refreshToken: 'rt1' }, CONFIG);
    expect(effects.pendingTimers).to.equal(0);
  });

  it('after a failed renewal, reports it, drops the refresh token and never retries', async () => {
    const { effects, provider, renewal, renewed, failures, granted } = setUpRenewal();
    provider.answerTokens({ error: 'invalid_grant', error_description: 'Refresh token revoked' }, 400);
    renewal.keep(granted(600_000, 'rt1'), CONFIG);
    effects.advance(540_000);
    await waitUntil(() => failures.length === 1, 'the failure', { timeout: 5000 });
    expect(failures).to.deep.equal([{ error: 'invalid_grant', description: 'Refresh token revoked', status: 400 }]);
    expect(effects.pendingTimers).to.equal(0);
    effects.advance(3_600_000);
    await settle();
    expect(provider.tokenRequests()).to.have.length(1);
    expect(renewed).to.deep.equal([]);
    expect(renewal.stop()).to.equal(undefined);
  });

  it('stop() hands back the refresh token and cancels the timer', async () => {
    const { effects, provider, renewal, granted } = setUpRenewal();
    renewal.keep(granted(600_000, 'rt1'), CONFIG);
    expect(effects.pendingTimers).to.equal(1);
    expect(renewal.stop()).to.equal('rt1');
    expect(effects.pendingTimers).to.equal(0);
    effects.advance(600_000);
    await settle();
    expect(provider.requests).to.deep.equal([]);
    expect(renewal.stop()).to.equal(undefined);
  });

  it('drops the answer to a renewal that was stopped while it ran', async () => {
    const { effects, provider, renewal, renewed, failures, granted } = setUpRenewal();
    provider.answerTokens({ access_token: 'at2', token_type: 'Bearer', expires_in: 600, refresh_token: 'rt2' });
    let answer!: () => void;
    const fetchNow = provider.fetch;
    effects.fetch = ((...args: Parameters<typeof fetch>) =>
      new Promise<void>((resolve) => (answer = resolve)).then(() => fetchNow(...args))) as typeof fetch;
    renewal.keep(granted(600_000, 'rt1'), CONFIG);
    effects.advance(540_000);
    await waitUntil(() => answer !== undefined, 'the refresh request', { timeout: 5000 });
    renewal.stop();
    answer();
    await settle();
    expect(provider.tokenRequests()).to.have.length(1);
    expect([renewed, failures]).to.deep.equal([[], []]);
    expect(renewal.stop()).to.equal(undefined);
  });

  it('keeps the refresh token out of reach of every script that can reach the renewal', () => {
    const { renewal, granted } = setUpRenewal();
    renewal.keep(granted(600_000, 'rt-secret'), CONFIG);
    expect(reachableStrings(renewal)).to.not.include('rt-secret');
  });
});

const setUp = (options: LoginOptions = {}) => createTestSession({ ...CODE_GRANT, ...options });

describe('renewal with a refresh token', () => {
  beforeEach(clearDiscoveryCache);

  it('renews before expiry, keeps the refresh token in memory only, and announces the new token', async () => {
    const context = setUp({ storage: 'local' });
    context.provider.answerTokens({ access_token: 'at1', token_type: 'Bearer', expires_in: 600, refresh_token: 'rt1' });
    context.provider.answerTokens({ access_token: 'at2', token_type: 'Bearer', expires_in: 600, refresh_token: 'rt2' });
    const { session } = await signInAndLand(context, (state) => `?code=c&state=${state}`);
    const stored = [context.effects.local, context.effects.session].flatMap((storage) =>
      Array.from({ length: storage.length }, (_, i) => storage.getItem(storage.key(i)!)),
    );
    expect(stored.join()).to.contain('at1').and.not.contain('rt1');
    context.effects.advance(540_000);
    await waitUntil(() => session.token?.accessToken === 'at2', 'the renewed token', { timeout: 5000 });
    const renewal = context.provider.tokenRequests()[1];
    expect(Object.fromEntries(renewal)).to.deep.equal({ grant_type: 'refresh_token', refresh_token: 'rt1', client_id: 'app' });
    expect(session.token!.accessToken).to.equal('at2');
    expect(context.heard.order).to.deep.equal(['token', 'token']);
  });

  it('keeps the refresh token in a private field, out of reach of every script that can reach the session', async () => {
    const context = setUp();
    context.provider.answerTokens({ access_token: 'at1', token_type: 'Bearer', expires_in: 600, refresh_token: 'rt-secret' });
    const { session } = await signInAndLand(context, (state) => `?code=c&state=${state}`);
    expect(session.token!.accessToken).to.equal('at1');
    expect(reachableStrings(session)).to.not.include('rt-secret');
  });

  it('with storage="session", another login of the same client in the page takes each renewed token instead of expiring it', async () => {
    const context = setUp({ storage: 'session' });
    context.provider.answerTokens({ access_token: 'at1', token_type: 'Bearer', expires_in: 600, refresh_token: 'rt1' });
    context.provider.answerTokens({ access_token: 'at2', token_type: 'Bearer', expires_in: 600, refresh_token: 'rt2' });
    const { session } = await signInAndLand(context, (state) => `?code=c&state=${state}`);
    const other = createTestSession(context.options, { effects: context.effects, heard: context.heard }).session;
    await other.start();
    context.effects.advance(540_000);
    await waitUntil(() => other.token?.accessToken === 'at2', 'the renewed token in the other login', { timeout: 5000 });
    context.effects.advance(120_000);
    await settle();
    expect(context.provider.tokenRequests()).to.have.length(2);
    expect([session.token?.accessToken, other.token?.accessToken]).to.deep.equal(['at2', 'at2']);
    expect(context.heard.order).to.deep.equal(['token', 'token', 'token', 'token']);
  });

  it('after a failed renewal, lets the token run out (signout expired) and never retries', async () => {
    const context = setUp();
    context.provider.answerTokens({ access_token: 'at1', token_type: 'Bearer', expires_in: 600, refresh_token: 'rt1' });
    context.provider.answerTokens({ error: 'invalid_grant' }, 400);
    await signInAndLand(context, (state) => `?code=c&state=${state}`);
    context.effects.advance(540_000);
    await waitUntil(() => context.heard.errors.length === 1, 'the failed renewal', { timeout: 5000 });
    context.effects.advance(120_000);
    await settle();
    expect(context.provider.tokenRequests()).to.have.length(2);
    expect(context.heard.order).to.deep.equal(['token', 'error:invalid_grant', 'signout:expired']);
  });
});
