// The opt-in docs/frameworks.md shows for listening on `document`, where both elements' events arrive.
import type { OAuthElementsEventMap, ResponseDetail, SignOutReason, TokenDetail } from '../../../src/index.js';
import { expectType, type Equal } from '../assert-type.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface DocumentEventMap extends OAuthElementsEventMap {}
}

document.addEventListener('token', (e) => {
  expectType<Equal<typeof e.detail, TokenDetail>>(true);
  return e;
});
document.addEventListener('signout', (e) => {
  expectType<Equal<typeof e.detail.reason, SignOutReason>>(true);
  return e;
});
document.addEventListener('response', (e) => {
  expectType<Equal<typeof e.detail, ResponseDetail>>(true);
  return e;
});
