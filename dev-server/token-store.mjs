import { randomBytes } from 'node:crypto';

const randomToken = () => randomBytes(32).toString('base64url');

/**
 * Authorization codes, access tokens and refresh tokens, in memory.
 *
 * Everything issued from one authorization code shares a `grantId`, so a replayed code or
 * a replayed (already rotated) refresh token can revoke the whole family, as RFC 6749
 * §4.1.2 and the OAuth security BCP ask. Time comes from `now` so tests need not sleep.
 */
export function createTokenStore({ now = Date.now, tokenLifetimeSeconds = 3600, codeLifetimeSeconds = 60 } = {}) {
  const codes = new Map();
  const accessTokens = new Map();
  const refreshTokens = new Map();

  function revokeGrant(grantId) {
    for (const tokens of [accessTokens, refreshTokens]) {
      for (const [token, record] of tokens) if (record.grantId === grantId) tokens.delete(token);
    }
  }

  return {
    issueCode({ clientId, userId, scope, redirectUri, codeChallenge }) {
      const code = randomToken();
      codes.set(code, {
        clientId,
        userId,
        scope,
        redirectUri,
        codeChallenge,
        grantId: randomToken(),
        expiresAt: now() + codeLifetimeSeconds * 1000,
        redeemed: false,
      });
      return code;
    },

    /**
     * Marks the code used whatever happens next: a code is presented once, so a failed
     * exchange (wrong verifier, wrong redirect URI) also burns it.
     */
    redeemCode(code) {
      const record = codes.get(code);
      if (!record) return { problem: 'The authorization code is unknown' };
      if (record.redeemed) {
        revokeGrant(record.grantId);
        return { problem: 'The authorization code was already used' };
      }
      record.redeemed = true;
      if (now() >= record.expiresAt) return { problem: 'The authorization code expired' };
      return { record };
    },

    /**
     * `grantId` is absent for implicit grants, which get no refresh token. `refreshScope`
     * differs from `scope` only when a refresh narrows the access token (RFC 6749 §6).
     * `jkt` (a DPoP key's thumbprint, RFC 9449 §6) binds both tokens to that key: they are
     * then `DPoP` tokens, useless without a proof signed by it.
     */
    issueTokens({ clientId, userId, scope, grantId, refreshScope = scope, jkt }) {
      const accessToken = randomToken();
      accessTokens.set(accessToken, {
        clientId,
        userId,
        scope,
        grantId,
        jkt,
        expiresAt: now() + tokenLifetimeSeconds * 1000,
      });
      const issued = { accessToken, tokenType: jkt ? 'DPoP' : 'Bearer', expiresIn: tokenLifetimeSeconds, scope };
      if (grantId) {
        issued.refreshToken = randomToken();
        refreshTokens.set(issued.refreshToken, { clientId, userId, scope: refreshScope, grantId, jkt, rotated: false });
      }
      return issued;
    },

    findAccessToken(token) {
      const record = accessTokens.get(token);
      if (!record) return { problem: 'The access token is unknown or was revoked' };
      if (now() >= record.expiresAt) return { problem: 'The access token expired' };
      return { record };
    },

    /**
     * Refresh tokens rotate: each is good for one use, and a second use revokes the grant.
     * A DPoP-bound one is checked against the proof's key (`jkt`) first, so someone who stole
     * it but not the key can neither use it nor burn it.
     */
    redeemRefreshToken(token, { jkt } = {}) {
      const record = refreshTokens.get(token);
      if (!record) return { problem: 'The refresh token is unknown or was revoked' };
      if (record.jkt !== undefined && record.jkt !== jkt) {
        return {
          problem: jkt ? 'The refresh token is bound to another DPoP key' : 'The refresh token is DPoP-bound: a DPoP proof is required',
        };
      }
      if (record.rotated) {
        revokeGrant(record.grantId);
        return { problem: 'The refresh token was already used' };
      }
      record.rotated = true;
      return { record };
    },

    /** RFC 7009: only the owning client may revoke; a refresh token takes its grant with it. */
    revoke(token, clientId) {
      const refresh = refreshTokens.get(token);
      if (refresh?.clientId === clientId) return revokeGrant(refresh.grantId);
      if (accessTokens.get(token)?.clientId === clientId) accessTokens.delete(token);
    },

    /** Every access and refresh token stops working; codes not yet exchanged still can be. */
    revokeAll() {
      accessTokens.clear();
      refreshTokens.clear();
    },
  };
}
