import { expect } from '@open-wc/testing';
import { CallbackInbox } from '../../src/core/callback-inbox.js';
import { returnToOf } from '../../src/core/return-to.js';
import { CODE_GRANT, createTestSession, land, PAGE, signIn, signInAndLand, type TestSession } from '../helpers/session-harness.js';

const ORIGIN = 'https://app.example';
const STARTED_AT = `${PAGE}?tab=2#s3`;
const implicitResponse = (state: string) => `#access_token=at&token_type=Bearer&state=${state}`;

/** A session that signs in from `url`. */
function startingFrom(url: string, options = {}): TestSession {
  const context = createTestSession(options);
  context.effects.url = url;
  return context;
}

describe('coming back where the sign-in started', () => {
  it('puts back the query and fragment in place, once the response is out, before the session starts', async () => {
    const context = startingFrom(STARTED_AT);
    const { state } = await signIn(context);
    const navigations = context.effects.navigations.length;
    context.effects.url = PAGE + implicitResponse(state);
    const landed = createTestSession({}, { effects: context.effects });
    landed.session.captureCallback();
    // Both are replaceState: no history entry, no reload, and never the response on Back.
    expect(context.effects.urlReplacements).to.deep.equal([PAGE, STARTED_AT]);
    expect(context.effects.url).to.equal(STARTED_AT);
    await landed.session.start();
    expect(landed.heard.order).to.deep.equal(['token']);
    expect(landed.heard.tokens[0].returnTo).to.equal('/page?tab=2#s3');
    expect(context.effects.navigations).to.have.length(navigations);
  });

  it("after a code sign-in, leaves none of the provider's extras (authuser, prompt, hd) in the query", async () => {
    const context = startingFrom(STARTED_AT, CODE_GRANT);
    context.provider.answerTokens({ access_token: 'at', token_type: 'Bearer' });
    await signInAndLand(context, (state) => `?code=c&state=${state}&authuser=0&prompt=consent&hd=example.com`);
    expect(context.heard.order).to.deep.equal(['token']);
    expect(context.effects.url).to.equal(STARTED_AT);
  });

  it('puts back the starting page also when the provider answers with an error', async () => {
    const context = startingFrom(STARTED_AT, CODE_GRANT);
    await signInAndLand(context, (state) => `?error=access_denied&state=${state}`);
    expect(context.heard.order).to.deep.equal(['error:access_denied']);
    expect(context.effects.url).to.equal(STARTED_AT);
  });

  it('puts nothing back for a response no sign-in is waiting for', async () => {
    const context = startingFrom(STARTED_AT);
    await signIn(context);
    const landed = await land(context, implicitResponse('forged'));
    expect(landed.heard.order).to.deep.equal(['error:invalid_state']);
    expect(context.effects.url).to.equal(PAGE);
  });

  it('never takes the fragment it put back for a response, when another login starts later', async () => {
    const startedAt = `${PAGE}#state=open&code=1`;
    const context = startingFrom(startedAt);
    const { state } = await signIn(context);
    const inbox = new CallbackInbox();
    const landed = await land(context, implicitResponse(state), {}, { inbox });
    expect(context.effects.url).to.equal(startedAt);
    const later = await land(landed, '', { clientId: 'other' }, { inbox });
    context.effects.url = startedAt;
    later.session.captureCallback();
    await later.session.start();
    expect(landed.heard.order).to.deep.equal(['token']);
    expect(later.heard.order).to.deep.equal([]);
    expect(context.effects.url).to.equal(startedAt);
  });

  it('on a callback at another path, leaves the address bar there and says in returnTo where the sign-in started', async () => {
    const context = startingFrom(STARTED_AT, { redirectUri: '/callback' });
    const { state } = await signIn(context);
    context.effects.url = `${ORIGIN}/callback${implicitResponse(state)}`;
    const landed = createTestSession(context.options, { effects: context.effects });
    landed.session.captureCallback();
    await landed.session.start();
    expect(context.effects.url).to.equal(`${ORIGIN}/callback`);
    expect(landed.heard.tokens.map((token) => token.returnTo)).to.deep.equal(['/page?tab=2#s3']);
  });

  it('returns to the URL signIn({ returnTo }) names, resolved against the page', async () => {
    for (const [returnTo, expected] of [
      ['/next?x=1#y', '/next?x=1#y'],
      [`${ORIGIN}/other`, '/other'],
      ['sibling', '/sibling'],
    ]) {
      const context = startingFrom(STARTED_AT, { redirectUri: '/callback' });
      await context.session.signIn({ returnTo });
      const state = new URL(context.effects.navigations[0]).searchParams.get('state')!;
      context.effects.url = `${ORIGIN}/callback${implicitResponse(state)}`;
      const landed = createTestSession(context.options, { effects: context.effects });
      landed.session.captureCallback();
      await landed.session.start();
      expect(landed.heard.tokens.map((token) => token.returnTo)).to.deep.equal([expected]);
    }
  });

  it('refuses a returnTo of another origin as invalid_config, before leaving the page', async () => {
    for (const returnTo of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example/x',
      'http://app.example/page',
      'javascript:alert(1)',
    ]) {
      const context = createTestSession();
      await context.session.signIn({ returnTo });
      expect(
        context.heard.errors.map((error) => error.error),
        returnTo,
      ).to.deep.equal(['invalid_config']);
      expect(context.effects.navigations, returnTo).to.have.length(0);
      expect(context.effects.session.length, returnTo).to.equal(0);
    }
  });

  it('never gives a returnTo that reads as another host', () => {
    expect(returnToOf(`${ORIGIN}//evil.example/x?q#f`)).to.equal('/evil.example/x?q#f');
    expect(returnToOf(PAGE, '/.//evil.example/x')).to.equal('/evil.example/x');
  });

  it('gives no returnTo on a token restored from storage', async () => {
    const context = startingFrom(STARTED_AT, { storage: 'session' });
    await signInAndLand(context, implicitResponse);
    expect(context.heard.tokens[0].returnTo).to.equal('/page?tab=2#s3');
    const reloaded = await land(context, '');
    expect(reloaded.heard.tokens).to.have.length(1);
    expect(reloaded.heard.tokens[0]).to.not.have.property('returnTo');
    expect(reloaded.session.token).to.not.have.property('returnTo');
  });
});
