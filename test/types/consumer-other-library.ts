// A project where another library declares `token` and `response` page-wide, with its own
// types: it still compiles with ours (no TS2717 "subsequent property declarations"), and
// each listener gets its own library's detail.
import type { ResponseDetail, TokenDetail } from '../../src/index.js';
import { expectType, type Equal } from './assert-type.js';

interface OtherToken {
  jwt: string;
}

declare global {
  interface GlobalEventHandlersEventMap {
    token: CustomEvent<OtherToken>;
    response: CustomEvent<Response>;
  }
}

document.addEventListener('token', (e) => {
  expectType<Equal<typeof e.detail, OtherToken>>(true);
  return e;
});
document.addEventListener('response', (e) => {
  expectType<Equal<typeof e.detail, Response>>(true);
  return e;
});

const login = document.createElement('oauth-login');
login.addEventListener('token', (e) => {
  expectType<Equal<typeof e.detail, TokenDetail>>(true);
  return e.detail.accessToken;
});
document.querySelector('oauth-fetch')!.addEventListener('response', (e) => {
  expectType<Equal<typeof e.detail, ResponseDetail>>(true);
  return e;
});
