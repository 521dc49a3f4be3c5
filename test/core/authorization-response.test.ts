import { expect } from '@open-wc/testing';
import { validateAuthorizationResponse } from '../../src/core/authorization-response.js';
import type { CapturedResponse } from '../../src/core/callback.js';
import { clearDiscoveryCache } from '../../src/core/discovery.js';
import { OAuthError, type OAuthErrorDetail } from '../../src/core/errors.js';
import { PENDING_LIFETIME_MS, type PendingLookup, type PendingRequest } from '../../src/core/pending-requests.js';
import type { FakeEffects } from '../helpers/fake-effects.js';
import { CODE_GRANT, createTestSession, ISSUER, land, PAGE, signIn, signInAndLand } from '../helpers/session-harness.js';

const NOW = Date.UTC(2026, 0, 1);

const tokenRequest: PendingRequest = {
  state: 'S',
  owner: 'owner',
  responseType: 'token',
  redirectUri: PAGE,
  scope: 'read',
  createdAt: NOW,
  clientId: 'app',
};
const codeRequest: PendingRequest = { ...tokenRequest, responseType: 'code', tokenUrl: `${ISSUER}/token`, codeVerifier: 'verifier' };

function response(params: Record<string, string>, source: CapturedResponse['source'] = 'fragment', malformed?: string): CapturedResponse {
  return { params: new Map(Object.entries(params)), source, ...(malformed ? { malformed } : {}) };
}

/** A pending-request lookup that answers `lookup` and records every state it is asked for. */
function pendingAnswering(lookup: PendingLookup) {
  const asked: string[] = [];
  return { asked, take: (state: string) => (asked.push(state), lookup) };
}
const pendingFor = (request: PendingRequest) => pendingAnswering({ status: 'pending', request });

/** The error the check throws, as an `oauth-error` detail. */
function rejection(captured: CapturedResponse, take: (state: string) => PendingLookup): OAuthErrorDetail {
  try {
    validateAuthorizationResponse(captured, take, NOW);
  } catch (error) {
    expect(error).to.be.an.instanceOf(OAuthError);
    return (error as OAuthError).detail;
  }
  throw new Error('the response was accepted');
}

describe('validateAuthorizationResponse: the checks, in order', () => {
  it('refuses a malformed response with invalid_response before looking its state up, so the pending request stays', () => {
    const pending = pendingFor(tokenRequest);
    const malformed = response({ access_token: 'a', token_type: 'Bearer', state: 'S' }, 'fragment', 'Duplicated response parameter: state');
    expect(rejection(malformed, pending.take)).to.deep.equal({
      error: 'invalid_response',
      description: 'Duplicated response parameter: state',
    });
    expect(pending.asked).to.deep.equal([]);
  });

  it('refuses a malformed error response as malformed, not as the error it carries', () => {
    const pending = pendingFor(tokenRequest);
    const malformed = response({ error: 'access_denied', state: 'S' }, 'fragment', 'too large');
    expect(rejection(malformed, pending.take).error).to.equal('invalid_response');
    expect(pending.asked).to.deep.equal([]);
  });

  for (const [name, params] of [
    ['no state', { access_token: 'a', token_type: 'Bearer' }],
    ['an empty state', { access_token: 'a', token_type: 'Bearer', state: '' }],
    ['no state, even as an error', { error: 'access_denied' }],
  ] as [string, Record<string, string>][]) {
    it(`refuses a response with ${name} with invalid_state, without a lookup`, () => {
      const pending = pendingFor(tokenRequest);
      expect(rejection(response(params), pending.take).error).to.equal('invalid_state');
      expect(pending.asked).to.deep.equal([]);
    });
  }

  it('looks the state up once, and refuses an unknown one with invalid_state', () => {
    const pending = pendingAnswering({ status: 'unknown' });
    expect(rejection(response({ access_token: 'a', token_type: 'Bearer', state: 'forged' }), pending.take).error).to.equal('invalid_state');
    expect(pending.asked).to.deep.equal(['forged']);
  });

  it('refuses an unknown state before the provider error it carries', () => {
    const pending = pendingAnswering({ status: 'unknown' });
    expect(rejection(response({ error: 'access_denied', state: 'forged' }), pending.take).error).to.equal('invalid_state');
  });

  it('refuses the response to an expired request with invalid_state, before its iss and its error', () => {
    const expired = pendingAnswering({ status: 'expired', request: { ...tokenRequest, issuer: ISSUER, requireIss: true } });
    expect(rejection(response({ access_token: 'a', token_type: 'Bearer', state: 'S' }), expired.take).error).to.equal('invalid_state');
    expect(rejection(response({ error: 'access_denied', state: 'S', iss: 'https://evil.example' }), expired.take).error).to.equal(
      'invalid_state',
    );
  });

  it('with requireIss, refuses a response without iss with invalid_response (RFC 9207)', () => {
    const pending = pendingFor({ ...codeRequest, issuer: ISSUER, requireIss: true });
    expect(rejection(response({ code: 'c', state: 'S' }, 'query'), pending.take).error).to.equal('invalid_response');
  });

  it('refuses an iss other than the issuer the request went to, with invalid_response, even without requireIss', () => {
    const pending = pendingFor({ ...codeRequest, issuer: ISSUER });
    expect(rejection(response({ code: 'c', state: 'S', iss: 'https://evil.example' }, 'query'), pending.take).error).to.equal(
      'invalid_response',
    );
  });

  it('checks iss before the provider error, so another issuer cannot speak for this one', () => {
    const pending = pendingFor({ ...codeRequest, issuer: ISSUER, requireIss: true });
    expect(rejection(response({ error: 'access_denied', state: 'S' }, 'query'), pending.take).error).to.equal('invalid_response');
  });

  it('accepts the right iss, and an iss when no issuer is known', () => {
    const withIssuer = validateAuthorizationResponse(
      response({ code: 'c', state: 'S', iss: ISSUER }, 'query'),
      pendingFor({ ...codeRequest, issuer: ISSUER, requireIss: true }).take,
      NOW,
    );
    expect(withIssuer.responseType).to.equal('code');
    const withoutIssuer = validateAuthorizationResponse(
      response({ code: 'c', state: 'S', iss: ISSUER }, 'query'),
      pendingFor(codeRequest).take,
      NOW,
    );
    expect(withoutIssuer.responseType).to.equal('code');
  });

  it("passes the provider's error through with its code, description and uri", () => {
    const params = { error: 'access_denied', error_description: 'The user said no', error_uri: 'https://id.example/why', state: 'S' };
    expect(rejection(response(params), pendingFor(tokenRequest).take)).to.deep.equal({
      error: 'access_denied',
      description: 'The user said no',
      uri: 'https://id.example/why',
    });
  });
});

describe('validateAuthorizationResponse: the code grant', () => {
  it('returns the code with the request, its token-url and its verifier', () => {
    const result = validateAuthorizationResponse(response({ code: 'the-code', state: 'S' }, 'query'), pendingFor(codeRequest).take, NOW);
    expect(result).to.deep.equal({ responseType: 'code', request: codeRequest, code: 'the-code' });
  });

  it('refuses a response without a code with invalid_response', () => {
    expect(rejection(response({ state: 'S', access_token: 'a', token_type: 'Bearer' }), pendingFor(codeRequest).take)).to.deep.equal({
      error: 'invalid_response',
      description: 'The response has no code',
    });
  });

  it('refuses a code for a sign-in that did not ask for one (no verifier or token-url) with invalid_response', () => {
    for (const request of [
      { ...codeRequest, codeVerifier: undefined },
      { ...codeRequest, tokenUrl: undefined },
    ]) {
      expect(rejection(response({ code: 'c', state: 'S' }, 'query'), pendingFor(request).take)).to.deep.equal({
        error: 'invalid_response',
        description: 'A code came for a sign-in that did not ask for one',
      });
    }
  });

  it('refuses a code in answer to an implicit-grant sign-in with invalid_response', () => {
    for (const source of ['query', 'fragment'] as const) {
      expect(rejection(response({ code: 'c', state: 'S' }, source), pendingFor(tokenRequest).take).error).to.equal('invalid_response');
    }
  });
});

describe('validateAuthorizationResponse: the implicit grant', () => {
  it('returns the token from the fragment, its lifetime counted from now', () => {
    const params = { access_token: 'at', token_type: 'Bearer', expires_in: '60', state: 'S' };
    expect(validateAuthorizationResponse(response(params), pendingFor(tokenRequest).take, NOW)).to.deep.equal({
      responseType: 'token',
      request: tokenRequest,
      token: { accessToken: 'at', tokenType: 'Bearer', expiresAt: NOW + 60_000, scope: 'read' },
    });
  });

  it('refuses a token in the query with invalid_response: it went to the server and its logs', () => {
    const params = { access_token: 'at', token_type: 'Bearer', state: 'S' };
    expect(rejection(response(params, 'query'), pendingFor(tokenRequest).take)).to.deep.equal({
      error: 'invalid_response',
      description: 'A token must come in the fragment',
    });
  });
});

describe('the provider error, through a session', () => {
  it('passes a provider error through with its code and description', async () => {
    const first = createTestSession();
    const { state } = await signIn(first);
    const { heard } = await land(first, `#error=access_denied&error_description=The+user+said+no&state=${state}`);
    expect(heard.errors).to.deep.equal([{ error: 'access_denied', description: 'The user said no' }]);
    expect(heard.tokens).to.deep.equal([]);
  });
});

describe('the state check', () => {
  const cases: [string, (effects: FakeEffects, state: string) => string][] = [
    ['a response without state', () => '#access_token=tok&token_type=Bearer'],
    ['a response with an empty state', () => '#access_token=tok&token_type=Bearer&state='],
    ['a response with an unknown state (forged)', () => '#access_token=tok&token_type=Bearer&state=forged'],
    [
      'a response whose state differs from the pending one by one character',
      (_, state) => `#access_token=tok&token_type=Bearer&state=${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`,
    ],
    ['an error response with an unknown state', () => '#error=access_denied&error_description=forged&state=forged'],
    [
      'a response whose request expired (10 minutes)',
      (effects, state) => {
        effects.advance(PENDING_LIFETIME_MS);
        return `#access_token=tok&token_type=Bearer&state=${state}`;
      },
    ],
  ];
  for (const [name, makeFragment] of cases) {
    it(`rejects ${name} with invalid_state and no token`, async () => {
      const first = createTestSession();
      const { effects } = first;
      const { state } = await signIn(first);
      const { heard, session } = await land(first, makeFragment(effects, state));
      expect(heard.order).to.deep.equal(['error:invalid_state']);
      expect(session.token).to.equal(null);
      expect(effects.url).to.equal(PAGE);
    });
  }

  it('rejects a replayed response (the same callback loaded again)', async () => {
    const first = createTestSession();
    const { state } = await signIn(first);
    const fragment = `#access_token=tok&token_type=Bearer&state=${state}`;
    expect((await land(first, fragment)).heard.order).to.deep.equal(['token']);
    const replay = await land(first, fragment);
    expect(replay.heard.order).to.deep.equal(['error:invalid_state']);
    expect(replay.session.token).to.equal(null);
  });

  it('keeps the real pending request usable after a forged response', async () => {
    const first = createTestSession();
    const { state } = await signIn(first);
    await land(first, '#access_token=forged&token_type=Bearer&state=forged');
    expect((await land(first, `#access_token=tok&token_type=Bearer&state=${state}`)).heard.tokens).to.have.length(1);
  });

  it('uses up the pending request even when the response is an error', async () => {
    const first = createTestSession();
    const { state } = await signIn(first);
    await land(first, `#error=access_denied&state=${state}`);
    expect((await land(first, `#access_token=tok&token_type=Bearer&state=${state}`)).heard.order).to.deep.equal(['error:invalid_state']);
  });
});

describe('bad callbacks: each yields one oauth-error with the exact code, and never a token', () => {
  const table: [string, (state: string) => string, string][] = [
    ['duplicated access_token', (s) => `#access_token=a&access_token=b&token_type=Bearer&state=${s}`, 'invalid_response'],
    ['duplicated state', (s) => `#access_token=a&token_type=Bearer&state=${s}&state=${s}`, 'invalid_response'],
    ['missing access_token', (s) => `#token_type=Bearer&state=${s}`, 'invalid_response'],
    ['empty access_token', (s) => `#access_token=&token_type=Bearer&state=${s}`, 'invalid_response'],
    ['token_type=mac', (s) => `#access_token=a&token_type=mac&state=${s}`, 'invalid_response'],
    ['missing token_type', (s) => `#access_token=a&state=${s}`, 'invalid_response'],
    ['expires_in=soon', (s) => `#access_token=a&token_type=Bearer&expires_in=soon&state=${s}`, 'invalid_response'],
    ['expires_in=-1', (s) => `#access_token=a&token_type=Bearer&expires_in=-1&state=${s}`, 'invalid_response'],
    ['an access token with a space', (s) => `#access_token=a%20b&token_type=Bearer&state=${s}`, 'invalid_response'],
    ['malformed percent-encoding in the token', (s) => `#access_token=%E0%A4%A&token_type=Bearer&state=${s}`, 'invalid_response'],
    ['a 1 MB fragment', (s) => `#access_token=${'a'.repeat(1024 * 1024)}&token_type=Bearer&state=${s}`, 'invalid_response'],
    ['an error code outside the RFC charset', (s) => `#error=%22%5C&state=${s}`, 'invalid_response'],
    ['an access_denied error', (s) => `#error=access_denied&state=${s}`, 'access_denied'],
    ['no state at all', () => '#access_token=a&token_type=Bearer', 'invalid_state'],
  ];
  for (const [name, makeFragment, code] of table) {
    it(`${name} → ${code}`, async () => {
      const first = createTestSession();
      const { effects } = first;
      const { state } = await signIn(first);
      const { heard, session } = await land(first, makeFragment(state));
      expect(heard.order).to.deep.equal([`error:${code}`]);
      expect(heard.tokens).to.deep.equal([]);
      expect(session.token).to.equal(null);
      expect(effects.url).to.equal(PAGE);
      expect(effects.session.getItem('oauth-elements:token:' + ' app https://id.example/authorize')).to.equal(null);
    });
  }
});

describe('grant and issuer checks, through a session', () => {
  beforeEach(clearDiscoveryCache);

  it('refuses a token in the query (implicit grant responses belong in the fragment)', async () => {
    const context = createTestSession({ ...CODE_GRANT, responseType: 'token' });
    await signInAndLand(context, (state) => `?access_token=at&token_type=Bearer&state=${state}&code=x`);
    expect(context.heard.order).to.deep.equal(['error:invalid_response']);
  });

  it('checks iss in the response (RFC 9207): a missing or different iss is invalid_response', async () => {
    for (const iss of ['', `&iss=${encodeURIComponent('https://evil.example')}`]) {
      const context = createTestSession({ ...CODE_GRANT, authorizeUrl: null, tokenUrl: null, issuer: ISSUER });
      await signInAndLand(context, (state) => `?code=c&state=${state}${iss}`);
      expect(context.heard.order).to.deep.equal(['error:invalid_response']);
      expect(context.provider.tokenRequests()).to.have.length(0);
    }
  });
});
