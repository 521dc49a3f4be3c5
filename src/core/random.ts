import { base64url } from './base64url.js';
import type { Effects } from './effects.js';

/** 256 bits: well above the 128 bits RFC 6749 §10.10 and RFC 9700 ask of `state`. */
const STATE_BYTES = 32;

export function randomString(effects: Pick<Effects, 'getRandomValues'>, byteLength = STATE_BYTES): string {
  return base64url(effects.getRandomValues(new Uint8Array(byteLength)));
}
