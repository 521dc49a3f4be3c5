// Mistakes in React 19 JSX that src/jsx.ts must catch (see misuse.ts for how this file works).
import { useRef } from 'react';
import type { TokenEvent } from '../../src/index.js';
import type {} from '../../src/jsx.js';

export function Mistakes() {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      {/* @ts-expect-error storage is memory, session or local */}
      <oauth-login client-id="x" storage="disk" />
      {/* @ts-expect-error attributes are strings */}
      <oauth-login client-id={5} />
      {/* @ts-expect-error `password` is not a response type */}
      <oauth-login response-type="password" />
      {/* @ts-expect-error mode is redirect or popup */}
      <oauth-login mode="tab" />
      {/* @ts-expect-error clientId is a property name; JSX takes the attribute `client-id` */}
      <oauth-login clientid="x" />
      {/* @ts-expect-error a token detail has no `nope` */}
      <oauth-login ontoken={(e) => e.detail.nope} />
      {/* @ts-expect-error onresponse gets a response event, not a token event */}
      <oauth-fetch onresponse={(e: TokenEvent) => e.detail.accessToken} />
      {/* @ts-expect-error <oauth-fetch>'s token is a string (or null) */}
      <oauth-fetch token={5} />
      {/* @ts-expect-error <oauth-login> takes no token: it gets its own */}
      <oauth-login token="abc" />
      {/* @ts-expect-error the ref is for an <oauth-login>, not an <input> */}
      <oauth-login ref={input} />
    </>
  );
}
