import { expect } from '@open-wc/testing';
import { demandsDpopNonce } from '../../src/core/dpop-nonce.js';
import { DpopProver, dpopHtu, dpopPublicJwk, generateDpopKeyPair, jwkThumbprint } from '../../src/core/dpop.js';
import { FakeEffects } from '../helpers/fake-effects.js';

// Test-only decoder: the library itself only ever encodes.
function fromBase64url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
const decodeJson = (part: string): Record<string, unknown> => JSON.parse(new TextDecoder().decode(fromBase64url(part)));

async function setUp() {
  const clock = new FakeEffects();
  const effects = { subtle: crypto.subtle, getRandomValues: clock.getRandomValues, now: clock.now };
  const keyPair = await generateDpopKeyPair(crypto.subtle);
  return { clock, keyPair, prover: new DpopProver(effects, keyPair) };
}

function parseProof(proof: string) {
  const parts = proof.split('.');
  expect(parts).to.have.length(3);
  return { header: decodeJson(parts[0]), claims: decodeJson(parts[1]), parts };
}

async function verifies(proof: string): Promise<boolean> {
  const { header, parts } = parseProof(proof);
  // Verify with the key the proof itself names, as a server does.
  const publicKey = await crypto.subtle.importKey('jwk', header.jwk as JsonWebKey, { name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'verify',
  ]);
  return crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    publicKey,
    fromBase64url(parts[2]),
    new TextEncoder().encode(`${parts[0]}.${parts[1]}`),
  );
}

// RFC 9449 §4.1's example key and §6.1's thumbprint of it.
const RFC_9449_JWK = {
  kty: 'EC',
  crv: 'P-256',
  x: 'l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs',
  y: '9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA',
};
const RFC_9449_JKT = '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I';

describe('DPoP keys (RFC 9449 §2)', () => {
  it('makes a private key that cannot be exported in any format', async () => {
    const { privateKey } = await generateDpopKeyPair(crypto.subtle);
    expect(privateKey.extractable).to.equal(false);
    for (const format of ['jwk', 'pkcs8'] as const) {
      let failure: unknown;
      await crypto.subtle.exportKey(format, privateKey).catch((error: unknown) => (failure = error));
      expect(failure, format).to.be.instanceOf(DOMException);
    }
  });

  it('refuses a key pair whose private key is extractable', async () => {
    const extractable = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const effects = { subtle: crypto.subtle, getRandomValues: (b: Uint8Array) => b, now: () => 0 };
    expect(() => new DpopProver(effects, extractable)).to.throw(TypeError, /non-extractable/);
  });

  it('refuses a key pair of another curve', async () => {
    const p384 = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, ['sign', 'verify']);
    const effects = { subtle: crypto.subtle, getRandomValues: (b: Uint8Array) => b, now: () => 0 };
    expect(() => new DpopProver(effects, p384)).to.throw(TypeError);
  });

  it('shows only kty, crv, x and y of the public key', async () => {
    const { prover } = await setUp();
    const jwk = await prover.publicJwk();
    expect(Object.keys(jwk).sort()).to.deep.equal(['crv', 'kty', 'x', 'y']);
    expect(jwk.kty).to.equal('EC');
    expect(jwk.crv).to.equal('P-256');
  });
});

describe('JWK thumbprints (RFC 7638)', () => {
  it('computes RFC 7638 §3.1’s example thumbprint of its RSA key', async () => {
    const rsa = {
      e: 'AQAB',
      kty: 'RSA',
      n:
        '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5' +
        'JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrd' +
        'kt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
    };
    expect(await jwkThumbprint(crypto.subtle, rsa)).to.equal('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('orders the members itself, whatever order they come in', async () => {
    expect(await jwkThumbprint(crypto.subtle, RFC_9449_JWK)).to.equal(RFC_9449_JKT);
  });

  it('gives RFC 9449’s jkt for its example key, imported and exported through WebCrypto', async () => {
    const publicKey = await crypto.subtle.importKey('jwk', RFC_9449_JWK, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']);
    const jwk = await dpopPublicJwk(crypto.subtle, publicKey);
    expect(await jwkThumbprint(crypto.subtle, { ...jwk })).to.equal(RFC_9449_JKT);
  });

  it('is the prover’s thumbprint of the key its proofs carry', async () => {
    const { prover } = await setUp();
    const { header } = parseProof(await prover.proof('GET', 'https://api.example/me'));
    const { kty, crv, x, y } = header.jwk as Record<string, string>;
    const json = `{"crv":"${crv}","kty":"${kty}","x":"${x}","y":"${y}"}`;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(json)));
    const expected = btoa(String.fromCharCode(...digest))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    expect(await prover.thumbprint()).to.equal(expected);
  });
});

describe('DPoP proofs (RFC 9449 §4)', () => {
  it('is a compact JWS that verifies with the public key it carries, signed by the key pair', async () => {
    const { prover, keyPair } = await setUp();
    const proof = await prover.proof('POST', 'https://as.example/token');
    expect(await verifies(proof)).to.equal(true);
    const { parts } = parseProof(proof);
    const signed = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
    const signature = fromBase64url(parts[2]);
    expect(signature).to.have.length(64);
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, keyPair.publicKey, signature, signed)).to.equal(true);
  });

  it('has exactly the header typ dpop+jwt, alg ES256 and the public jwk', async () => {
    const { prover } = await setUp();
    const { header } = parseProof(await prover.proof('POST', 'https://as.example/token'));
    expect(header).to.deep.equal({ typ: 'dpop+jwt', alg: 'ES256', jwk: await prover.publicJwk() });
    expect(header.jwk).not.to.have.property('d');
  });

  it('has exactly the claims jti, htm, htu and iat (seconds) for a token request', async () => {
    const { prover, clock } = await setUp();
    clock.time = Date.UTC(2026, 5, 1, 12, 0, 0, 999);
    const { claims } = parseProof(await prover.proof('POST', 'https://as.example/token'));
    expect(Object.keys(claims).sort()).to.deep.equal(['htm', 'htu', 'iat', 'jti']);
    expect(claims.htm).to.equal('POST');
    expect(claims.htu).to.equal('https://as.example/token');
    expect(claims.iat).to.equal(Date.UTC(2026, 5, 1, 12, 0, 0) / 1000);
  });

  it('leaves query and fragment out of htu', async () => {
    const { prover } = await setUp();
    const { claims } = parseProof(await prover.proof('GET', 'https://api.example/v1/me?fields=name&x=1#top'));
    expect(claims.htu).to.equal('https://api.example/v1/me');
    expect(dpopHtu('https://api.example/path?#')).to.equal('https://api.example/path');
    expect(dpopHtu('https://API.example:443/a/../b')).to.equal('https://api.example/b');
  });

  it('names the method as fetch sends it', async () => {
    const { prover } = await setUp();
    expect(parseProof(await prover.proof('post', 'https://as.example/token')).claims.htm).to.equal('POST');
    expect(parseProof(await prover.proof('PATCH', 'https://api.example/x')).claims.htm).to.equal('PATCH');
  });

  it('gives every proof its own jti of at least 128 random bits', async () => {
    const { prover } = await setUp();
    const jtis = new Set<unknown>();
    for (let i = 0; i < 20; i++) jtis.add(parseProof(await prover.proof('GET', 'https://api.example/me')).claims.jti);
    expect(jtis.size).to.equal(20);
    for (const jti of jtis) expect(fromBase64url(jti as string).length).to.be.at.least(16);
  });

  it('binds the access token as ath, RFC 9449 §7.1’s example hash', async () => {
    const { prover } = await setUp();
    const accessToken = 'Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU';
    const { claims } = parseProof(await prover.proof('GET', 'https://resource.example.org/protectedresource', { accessToken }));
    expect(claims.ath).to.equal('fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo');
    expect(Object.keys(claims).sort()).to.deep.equal(['ath', 'htm', 'htu', 'iat', 'jti']);
  });
});

describe('DPoP nonces (RFC 9449 §8, §9)', () => {
  const withNonce = (status: number, nonce: string | null, headers: Record<string, string> = {}) =>
    new Response('{}', { status, headers: { ...(nonce === null ? {} : { 'DPoP-Nonce': nonce }), ...headers } });

  it('remembers the latest nonce per origin and puts it in the next proofs there', async () => {
    const { prover } = await setUp();
    expect(prover.rememberNonce('https://as.example/token', withNonce(400, 'eyJ7S_zG.eyJH0-Z.HX4w-7v'))).to.equal(
      'eyJ7S_zG.eyJH0-Z.HX4w-7v',
    );
    const { claims } = parseProof(await prover.proof('POST', 'https://as.example/other-path'));
    expect(claims.nonce).to.equal('eyJ7S_zG.eyJH0-Z.HX4w-7v');
    prover.rememberNonce('https://as.example/token', withNonce(200, 'second'));
    expect(parseProof(await prover.proof('POST', 'https://as.example/token')).claims.nonce).to.equal('second');
    expect(parseProof(await prover.proof('GET', 'https://api.example/me')).claims).not.to.have.property('nonce');
  });

  it('keeps the previous nonce when a response carries none or a malformed one', async () => {
    const { prover } = await setUp();
    prover.rememberNonce('https://as.example/token', withNonce(400, 'good'));
    expect(prover.rememberNonce('https://as.example/token', withNonce(200, null))).to.equal(undefined);
    expect(prover.rememberNonce('https://as.example/token', withNonce(200, 'has "quote'))).to.equal(undefined);
    expect(prover.nonceFor('https://as.example/x')).to.equal('good');
  });

  it('uses a nonce given explicitly over the remembered one', async () => {
    const { prover } = await setUp();
    prover.rememberNonce('https://as.example/token', withNonce(400, 'remembered'));
    const { claims } = parseProof(await prover.proof('POST', 'https://as.example/token', { nonce: 'explicit' }));
    expect(claims.nonce).to.equal('explicit');
  });

  it('recognizes the token endpoint’s 400 use_dpop_nonce and nothing else as a nonce demand', () => {
    expect(demandsDpopNonce(withNonce(400, 'n'), { error: 'use_dpop_nonce', error_description: 'x' })).to.equal(true);
    expect(demandsDpopNonce(withNonce(400, 'n'), { error: 'invalid_dpop_proof' })).to.equal(false);
    expect(demandsDpopNonce(withNonce(400, 'n'), null)).to.equal(false);
    expect(demandsDpopNonce(withNonce(500, 'n'), { error: 'use_dpop_nonce' })).to.equal(false);
  });

  it('recognizes a resource server’s 401 DPoP use_dpop_nonce challenge', () => {
    const challenge = (value: string) => withNonce(401, 'n', { 'WWW-Authenticate': value });
    expect(
      demandsDpopNonce(challenge('DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"')),
    ).to.equal(true);
    expect(demandsDpopNonce(challenge('Bearer realm="x", DPoP algs="ES256", error="use_dpop_nonce"'))).to.equal(true);
    expect(demandsDpopNonce(challenge('DPoP error="invalid_token"'))).to.equal(false);
    expect(demandsDpopNonce(challenge('Bearer error="use_dpop_nonce"'))).to.equal(false);
    expect(demandsDpopNonce(challenge('DPoP algs="ES256", Bearer error="use_dpop_nonce"'))).to.equal(false);
    expect(demandsDpopNonce(withNonce(403, 'n', { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce"' }))).to.equal(false);
  });
});
