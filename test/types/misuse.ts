// Mistakes the types must catch. Each `@ts-expect-error` fails the compile when its line is
// NOT an error, so this file proves the types are strict, not merely present.
import { dispatch, type TokenEvent } from '../../src/index.js';

const login = document.querySelector('oauth-login')!;
const fetcher = document.createElement('oauth-fetch');

login.addEventListener('token', (e) => {
  // @ts-expect-error a token detail has no `nope`
  return e.detail.nope;
});

login.addEventListener('signout', (e) => {
  // @ts-expect-error 'timeout' is not a sign-out reason
  return e.detail.reason === 'timeout';
});

fetcher.addEventListener('response', (e) => {
  // @ts-expect-error a response detail carries data, not a token
  return e.detail.accessToken;
});

login.addEventListener('oauth-error', (e) => {
  // @ts-expect-error `status` may be missing
  const status: number = e.detail.status;
  return status;
});

// @ts-expect-error <oauth-fetch>'s token is a string (or null), not a number
fetcher.token = 5;

// @ts-expect-error src is a string (or null)
fetcher.src = new URL('https://api.example.com/me');

// @ts-expect-error <oauth-login>'s token is read-only: it comes from the provider
login.token = null;

// @ts-expect-error `password` is not a response type this element speaks
login.responseType = 'password';

// @ts-expect-error storage is memory, session or local
login.storage = 'cookie';

// @ts-expect-error a listener for `token` gets a token event, not a response event
fetcher.addEventListener('response', (e: TokenEvent) => e.detail.accessToken);

// @ts-expect-error a token event carries a token detail, not a sign-out reason
dispatch(login, 'token', { reason: 'user' });

// @ts-expect-error 'timeout' is not a sign-out reason
dispatch(login, 'signout', { reason: 'timeout' });

// @ts-expect-error a response detail needs its status and url
dispatch(fetcher, 'response', { data: {} });

// @ts-expect-error neither element fires `tokens`
dispatch(login, 'tokens', null);

// The event names are the elements' own, not claimed page-wide: on `document` a `signout`
// listener gets a plain Event (see consumer-other-library.ts for why).
document.addEventListener('signout', (e) => {
  // @ts-expect-error a plain Event has no detail
  return e.detail;
});

// @ts-expect-error <oauth-login> fires no `response`: its listener is not a response listener
login.addEventListener('response', (e: CustomEvent<{ data: unknown }>) => e.detail.data);
