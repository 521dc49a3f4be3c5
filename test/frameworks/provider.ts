/**
 * A signed-in page for framework tests, without a provider on the network: a plain
 * `<oauth-login>` starts a sign-in whose navigation is recorded instead of followed, and
 * the callback the provider would send back carries that sign-in's `state` and the token the
 * test API accepts (test/helpers/test-api-middleware.mjs).
 */
import { browserEffects } from '../../src/core/effects.js';
import '../../src/define.js';

export const AUTHORIZE_URL = 'https://id.example/authorize';
export const CLIENT_ID = 'app';
export const API = `${location.origin}/test-api`;
export const GOOD_TOKEN = 'good-token';

let unique = 0;
/** A fresh id for the test API's request log, and for element ids. */
export const newId = (prefix: string) => `${prefix}-${Date.now()}-${unique++}`;

export const nextTask = () => new Promise((resolve) => setTimeout(resolve));

export async function waitFor(condition: () => boolean, what = 'condition'): Promise<void> {
  for (let tries = 0; !condition(); tries++) {
    if (tries > 200) throw new Error(`waitFor: ${what} never became true`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The fragment the provider sends back after a sign-in by a login with this `id`. */
export async function providerCallback(id: string): Promise<string> {
  const navigations: string[] = [];
  const starter = document.createElement('oauth-login');
  starter.id = id;
  starter.setAttribute('authorize-url', AUTHORIZE_URL);
  starter.setAttribute('client-id', CLIENT_ID);
  starter.effects = { ...browserEffects(), navigate: (url) => void navigations.push(url) };
  document.body.append(starter);
  await nextTask();
  starter.shadowRoot!.querySelector('button')!.click();
  await waitFor(() => navigations.length > 0, 'the sign-in navigation');
  starter.remove();
  const state = new URL(navigations[0]).searchParams.get('state')!;
  return `#access_token=${GOOD_TOKEN}&token_type=Bearer&expires_in=3600&scope=profile&state=${state}`;
}

/** What the test API saw, by request id: the path and the Authorization header. */
export async function serverLog(id: string): Promise<{ path: string; authorization: string | null }[]> {
  return (await fetch(`${API}/log?id=${id}`)).json();
}
