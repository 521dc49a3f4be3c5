// A React 19 component in a user's strict TSX, with src/jsx.ts's JSX types.
import { useRef, useState } from 'react';
import type { OAuthErrorEvent, OAuthFetchElement, OAuthLoginElement, ResponseEvent, SignOutEvent, TokenEvent } from '../../src/index.js';
import type {} from '../../src/jsx.js';
import { expectType, type Equal } from './assert-type.js';

export function Profile() {
  const login = useRef<OAuthLoginElement>(null);
  const fetcher = useRef<OAuthFetchElement>(null);
  const [expiresAt, setExpiresAt] = useState<number | null>(null);
  const [handToken] = useState<string | null>('an-access-token');

  return (
    <>
      <oauth-login
        ref={login}
        id="login"
        authorize-url="https://auth.example.com/authorize"
        client-id="x"
        redirect-uri="https://app.example.com/"
        scope="profile read"
        response-type="code"
        token-url="https://auth.example.com/token"
        issuer="https://auth.example.com"
        revocation-url="https://auth.example.com/revoke"
        storage="session"
        mode="popup"
        className="login"
        class="login"
        hidden={false}
        ontoken={(e) => {
          expectType<Equal<typeof e, TokenEvent>>(true);
          setExpiresAt(e.detail.expiresAt);
        }}
        onsignout={(e) => {
          expectType<Equal<typeof e, SignOutEvent>>(true);
          setExpiresAt(null);
        }}
        onoauth-error={(e) => {
          expectType<Equal<typeof e, OAuthErrorEvent>>(true);
        }}
      >
        <span slot="sign-in">Continue with Example</span>
      </oauth-login>
      <p>{expiresAt === null ? 'no expiry' : new Date(expiresAt).toISOString()}</p>
      <oauth-fetch
        ref={fetcher}
        for="login"
        src="https://api.example.com/me"
        pointer="/items"
        onresponse={(e) => {
          expectType<Equal<typeof e, ResponseEvent>>(true);
        }}
        onoauth-error={(e) => e.detail.error}
      >
        <p slot="loading">Loading your profile…</p>
      </oauth-fetch>
      <oauth-fetch src="https://api.example.com/me" token={handToken} renderData={(data) => JSON.stringify(data)} />
      <oauth-login client-id="minimal" />
    </>
  );
}
