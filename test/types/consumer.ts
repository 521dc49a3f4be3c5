// What a user's strict TypeScript sees through the tag and event maps: nothing here needs a cast.
import type {
  OAuthErrorDetail,
  OAuthFetchElement,
  OAuthLoginElement,
  ResponseDetail,
  SignOutReason,
  TokenDetail,
  TokenEvent,
} from '../../src/index.js';
import { expectType, type Equal } from './assert-type.js';

const login = document.querySelector('oauth-login')!;
expectType<Equal<typeof login, OAuthLoginElement>>(true);

login.addEventListener('token', (e) => {
  expectType<Equal<typeof e.detail, TokenDetail>>(true);
  const accessToken: string = e.detail.accessToken;
  const expiresAt: number | null = e.detail.expiresAt;
  const idToken: string | undefined = e.detail.idToken;
  return [accessToken, expiresAt, idToken, e.detail.scope, e.detail.tokenType];
});

login.addEventListener('signout', (e) => {
  expectType<Equal<typeof e.detail.reason, SignOutReason>>(true);
  if (e.detail.reason === 'expired' || e.detail.reason === 'user' || e.detail.reason === 'other-tab') return;
});

login.addEventListener('oauth-error', (e) => {
  expectType<Equal<typeof e.detail, OAuthErrorDetail>>(true);
  const code: string = e.detail.error;
  const status: number | undefined = e.detail.status;
  return [code, status, e.detail.description, e.detail.uri];
});

const fetcher = document.createElement('oauth-fetch');
expectType<Equal<typeof fetcher, OAuthFetchElement>>(true);
expectType<Equal<typeof fetcher.src, string | null>>(true);
expectType<Equal<typeof fetcher.for, string | null>>(true);
expectType<Equal<typeof fetcher.token, string | null>>(true);
fetcher.src = 'https://api.example.com/me';
fetcher.token = 'an-access-token';
fetcher.token = null;
fetcher.renderData = (data) => JSON.stringify(data);
fetcher.addEventListener('response', (e) => {
  expectType<Equal<typeof e.detail, ResponseDetail>>(true);
  const status: number = e.detail.status;
  const data: unknown = e.detail.data;
  return [status, data, e.detail.url];
});

fetcher.addEventListener('oauth-error', (e) => {
  expectType<Equal<typeof e.detail, OAuthErrorDetail>>(true);
  return e;
});

// The DOM's own events keep their types, and `this` is the element.
login.addEventListener('keydown', function (e) {
  expectType<Equal<typeof e, KeyboardEvent>>(true);
  expectType<Equal<typeof this, OAuthLoginElement>>(true);
  return e;
});
const onToken = (e: TokenEvent) => e.detail.accessToken;
login.addEventListener('token', onToken);
login.removeEventListener('token', onToken);

expectType<Equal<typeof login.token, TokenDetail | null>>(true);
expectType<Equal<typeof login.signedIn, boolean>>(true);
expectType<Equal<ReturnType<typeof login.signIn>, Promise<void>>>(true);
login.signOut();
login.responseType = 'code';
login.storage = 'session';
login.mode = 'popup';
