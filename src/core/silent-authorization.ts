import { createAuthorizationRequest } from './authorization-request.js';
import { validateAuthorizationResponse } from './authorization-response.js';
import type { CapturedResponse } from './callback.js';
import type { Effects } from './effects.js';
import { OAuthError } from './errors.js';
import { completeImplicitGrant } from './implicit-grant.js';
import { loadLoginConfig } from './login-config.js';
import { ownerKey, timeLimitOf, type LoginOptions } from './login-options.js';
import { PendingRequestStore } from './pending-requests.js';
import { SILENT_STATE_PREFIX } from './popup.js';
import { relayedResponse } from './popup-response.js';
import { withTimeLimit } from './time-limit.js';
import type { GrantedTokens } from './token-endpoint.js';

/**
 * Renews an implicit-grant token without the user (OpenID Connect Core §3.1.2.1
 * `prompt=none`): the authorization request of a normal sign-in, with a fresh `state`
 * (and `nonce`), in a hidden frame. The redirect page in the frame relays the response to
 * this page as a popup's is (callback-inbox.ts), and it is checked exactly as a callback
 * is. Any answer but a token (`login_required`…), a forged one, the time limit or an abort
 * of `signal` rejects; the frame and the pending request are gone afterwards either way.
 */
export async function authorizeSilently(effects: Effects, options: LoginOptions, signal?: AbortSignal): Promise<GrantedTokens> {
  const config = await loadLoginConfig(effects, options);
  if (config.responseType === 'code') throw new OAuthError('invalid_config', 'Silent renewal is for the implicit grants');
  const pending = new PendingRequestStore(effects);
  const { url, pending: request } = await createAuthorizationRequest(effects, config, ownerKey(options), SILENT_STATE_PREFIX, {
    prompt: 'none',
  });
  pending.save(request);
  const frame = effects.openHiddenFrame(url);
  try {
    const response = await withTimeLimit(
      effects,
      timeLimitOf(options),
      'The silent renewal',
      (limit) => frameResponse(effects, frame.window, request.state, limit),
      signal,
    );
    const result = validateAuthorizationResponse(response, (state) => pending.take(state), effects.now());
    if (result.responseType === 'code') throw new OAuthError('invalid_response', 'A code came for a silent renewal');
    return await completeImplicitGrant(effects, result);
  } finally {
    frame.remove();
    pending.take(request.state);
  }
}

/**
 * The first relayed response from `frame`, posted from this origin. One with another state
 * is a response planted in the frame: it rejects at once rather than waiting it out.
 */
function frameResponse(
  effects: Pick<Effects, 'onMessage' | 'currentUrl'>,
  frame: Window | null,
  state: string,
  signal: AbortSignal,
): Promise<CapturedResponse> {
  const origin = new URL(effects.currentUrl()).origin;
  return new Promise((resolve, reject) => {
    const stop = effects.onMessage((event) => {
      const response = event.origin === origin && frame !== null && event.source === frame ? relayedResponse(event.data) : null;
      if (!response) return;
      stop();
      if (response.params.get('state') === state) resolve(response);
      else reject(new OAuthError('invalid_state', 'The silent renewal got a response for another sign-in'));
    });
    signal.addEventListener('abort', () => {
      stop();
      reject(new OAuthError('timeout', 'The silent renewal was stopped'));
    });
  });
}
