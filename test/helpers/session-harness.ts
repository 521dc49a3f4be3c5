/**
 * The one harness for LoginSession tests: a session on a fake page (FakeEffects) in front
 * of a fake provider, with a recorder of everything it tells its element.
 */
import { base64url } from '../../src/core/base64url.js';
import { CallbackInbox } from '../../src/core/callback-inbox.js';
import type { OAuthErrorDetail } from '../../src/core/errors.js';
import type { LoginOptions } from '../../src/core/login-options.js';
import { LoginSession, type SignOutReason } from '../../src/core/login-session.js';
import { loadDpop, loadProviderClient, loadResourceRequest } from '../../src/core/on-demand.js';
import { loadSignIn } from '../../src/core/sign-in-on-demand.js';
import type { TokenDetail } from '../../src/core/token.js';
import { FakeEffects, FakeTabs } from './fake-effects.js';

// The parts core loads on demand are fetched once, here, so that no test's fake clock runs
// ahead of a module still on its way: from then on, loading one takes microtasks.
await Promise.all([loadProviderClient(), loadDpop(), loadSignIn(), loadResourceRequest()]);

/** The page every test session runs on, and where the provider sends the browser back. */
export const PAGE = 'https://app.example/page';
export const ISSUER = 'https://id.example';

/** The options of a code-grant sign-in at {@link ISSUER}. */
export const CODE_GRANT: LoginOptions = { responseType: 'code', tokenUrl: `${ISSUER}/token` };

/** What a session told its element, in the order it did. */
export interface Heard {
  tokens: TokenDetail[];
  signouts: SignOutReason[];
  errors: OAuthErrorDetail[];
  /** `token`, `signout:<reason>`, `error:<code>`. */
  order: string[];
  /** `pending` each time it changed: `true` when a sign-in started, `false` when it ended. */
  pending: boolean[];
}

export interface ProviderRequest {
  url: string;
  body: URLSearchParams;
}

/**
 * A provider behind FakeEffects.fetch: a token endpoint that gives the answers queued in
 * `tokenAnswers` in turn (and `invalid_grant` when none is left), a revocation endpoint,
 * and the discovery document of {@link ISSUER}. Every request is kept in `requests`.
 */
export class FakeProvider {
  readonly requests: ProviderRequest[] = [];
  readonly tokenAnswers: (() => Response)[] = [];
  readonly discovery: Record<string, unknown> = {
    issuer: ISSUER,
    authorization_endpoint: `${ISSUER}/authorize`,
    token_endpoint: `${ISSUER}/token`,
    revocation_endpoint: `${ISSUER}/revoke`,
    end_session_endpoint: `${ISSUER}/logout`,
    authorization_response_iss_parameter_supported: true,
  };

  fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = String(input);
    this.requests.push({ url, body: new URLSearchParams(String(init.body ?? '')) });
    if (url === `${ISSUER}/.well-known/openid-configuration`) return Response.json(this.discovery);
    if (url.endsWith('/revoke')) return new Response(null, { status: 200 });
    const answer = this.tokenAnswers.shift();
    if (!answer) return Response.json({ error: 'invalid_grant', error_description: 'no answer prepared' }, { status: 400 });
    return answer();
  };

  /** Queues the JSON the token endpoint gives to its next request. */
  answerTokens(body: Record<string, unknown>, status = 200): void {
    this.tokenAnswers.push(() => Response.json(body, { status }));
  }

  tokenRequests(): URLSearchParams[] {
    return this.requests.filter((request) => request.url.endsWith('/token')).map((request) => request.body);
  }

  revocations(): Record<string, string>[] {
    return this.requests.filter((request) => request.url.endsWith('/revoke')).map((request) => Object.fromEntries(request.body));
  }
}

/** A session under test and the page and provider around it. */
export interface TestSession {
  session: LoginSession;
  heard: Heard;
  effects: FakeEffects;
  provider: FakeProvider;
  /** The very object the session reads its options from: changing it is changing an attribute. */
  options: LoginOptions;
}

export interface TestSessionSurroundings {
  /** Other tabs of the origin: a new page gets its own FakeEffects on these tabs. */
  tabs?: FakeTabs;
  /** The page: pass one to run a second session on it (another element, or the page loaded again). */
  effects?: FakeEffects;
  /** The page's callback inbox; a new one by default, as a new page load has. */
  inbox?: CallbackInbox;
  /** The recorder to add to, so that one record spans several sessions. */
  heard?: Heard;
}

const providers = new WeakMap<FakeEffects, FakeProvider>();

/** The provider the page `effects` talks to, set up on first use. */
function providerFor(effects: FakeEffects): FakeProvider {
  let provider = providers.get(effects);
  if (!provider) {
    provider = new FakeProvider();
    providers.set(effects, provider);
    effects.fetch = provider.fetch as typeof fetch;
  }
  return provider;
}

/**
 * A LoginSession for client `app` at {@link ISSUER}'s authorization endpoint with scope
 * `read` (implicit grant unless `options` say otherwise), on a new page unless given one.
 */
export function createTestSession(options: LoginOptions = {}, surroundings: TestSessionSurroundings = {}): TestSession {
  const effects = surroundings.effects ?? new FakeEffects(PAGE, surroundings.tabs);
  const heard = surroundings.heard ?? { tokens: [], signouts: [], errors: [], order: [], pending: [] };
  const allOptions: LoginOptions = { authorizeUrl: `${ISSUER}/authorize`, clientId: 'app', scope: 'read', ...options };
  const session = new LoginSession(
    effects,
    allOptions,
    {
      token: (token) => (heard.tokens.push(token), heard.order.push('token')),
      signout: (reason) => (heard.signouts.push(reason), heard.order.push(`signout:${reason}`)),
      error: (error) => (heard.errors.push(error), heard.order.push(`error:${error.error}`)),
      pending: () => heard.pending.push(session.pending),
    },
    surroundings.inbox ?? new CallbackInbox(),
  );
  return { session, heard, effects, provider: providerFor(effects), options: allOptions };
}

/** A redirect sign-in that left the page: the state it sent and the whole authorization URL. */
export interface StartedSignIn {
  state: string;
  authorization: URL;
}

/** Starts a redirect sign-in and returns where it sent the browser. */
export async function signIn({ session, effects }: TestSession): Promise<StartedSignIn> {
  await session.signIn();
  const authorization = new URL(effects.navigations.at(-1)!);
  return { state: authorization.searchParams.get('state')!, authorization };
}

/**
 * Lands on {@link PAGE} with `response` (a `?query` and/or `#fragment`) as a new page load
 * would: a new session (with `from`'s options and any `options` over them) on the same
 * page, with a new inbox, that captures the callback and starts.
 */
export async function land(
  from: TestSession,
  response: string,
  options: LoginOptions = {},
  surroundings: Omit<TestSessionSurroundings, 'effects' | 'tabs'> = {},
): Promise<TestSession> {
  from.effects.url = PAGE + response;
  const landed = createTestSession({ ...from.options, ...options }, { ...surroundings, effects: from.effects });
  landed.session.captureCallback();
  await landed.session.start();
  return landed;
}

/**
 * Signs in with `from`, then lands on the callback that `respond` builds from the state and
 * the authorization URL, in one record: `from.heard` hears both sessions.
 */
export async function signInAndLand(
  from: TestSession,
  respond: (state: string, authorization: URL) => string,
): Promise<StartedSignIn & { session: LoginSession }> {
  const { state, authorization } = await signIn(from);
  const { session } = await land(from, respond(state, authorization), {}, { heard: from.heard });
  return { state, authorization, session };
}

/**
 * Lets the fake provider's answers (and reading their bodies) and what follows them run.
 * For a check that nothing more happens; to wait for something that should, use `waitUntil`.
 */
export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

/** An unsigned JWT with `claims`: the ID token checks read claims only (tokens come over TLS). */
export function jwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));
  return `${encode({ alg: 'none' })}.${encode(claims)}.signature`;
}
