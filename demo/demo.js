// The demo's own wiring: where the authorization server is, the variant switches and the
// event log. The elements themselves need none of this.
import config from '/config/config.js';

const CHOICES = 'oauth-elements-demo:choices';
const login = document.getElementById('login');

// The markup names the default http://127.0.0.1:9000; `npm start -- --auth-port` moves the
// server, and /config/config.js (written by npm start) says where to.
const MARKUP_AUTH_SERVER = 'http://127.0.0.1:9000';
for (const [element, attribute] of [
  [login, 'authorize-url'],
  [login, 'revocation-url'],
  ...[...document.querySelectorAll('oauth-fetch')].map((element) => [element, 'src']),
]) {
  element.setAttribute(attribute, element.getAttribute(attribute).replace(MARKUP_AUTH_SERVER, config.authServer));
}
document.getElementById('auth-server').textContent = config.authServer;

const FLOW_NAMES = { token: 'implicit grant', code: 'code + PKCE' };

// Applied before the elements start (the bundle loads after this module), and kept in
// sessionStorage so they survive the round trip to the provider.
const defaults = { flow: 'token', dpop: false, mode: 'redirect', storage: 'memory' };
const choices = { ...defaults, ...JSON.parse(sessionStorage.getItem(CHOICES) ?? '{}') };
// The implicit grant cannot bind a token to a key: DPoP goes with code + PKCE only.
const dpop = choices.flow === 'code' && choices.dpop;
login.setAttribute('storage', choices.storage);
login.setAttribute('mode', choices.mode);
if (choices.flow === 'code') {
  // With issuer, the token, revocation and authorization endpoints come from discovery.
  login.setAttribute('response-type', 'code');
  login.setAttribute('issuer', config.authServer);
}
if (dpop) {
  login.setAttribute('dpop', '');
  // This endpoint refuses a bearer: the profile loads only with the bound token and its proof.
  const profile = document.getElementById('profile');
  profile.setAttribute('src', profile.getAttribute('src').replace('/api/profile', '/api/dpop/profile'));
}
document.getElementById('variant-markup').textContent =
  `This button: response-type="${choices.flow}"${dpop ? ', dpop' : ''}, mode="${choices.mode}", storage="${choices.storage}".`;

/** Every switch signs out and reloads, so the new markup starts from scratch. */
const choose = (name, value) => {
  login.signOut?.();
  sessionStorage.setItem(CHOICES, JSON.stringify({ ...choices, [name]: value }));
  location.reload();
};
for (const radio of document.querySelectorAll('.variants input[type="radio"]')) {
  radio.checked = choices[radio.name] === radio.value;
  radio.addEventListener('change', () => choose(radio.name, radio.value));
}
const dpopSwitch = document.querySelector('.variants input[name="dpop"]');
dpopSwitch.checked = dpop;
dpopSwitch.disabled = choices.flow !== 'code';
dpopSwitch.addEventListener('change', () => choose('dpop', dpopSwitch.checked));

/** Enough of a token to tell two apart, never enough to use one. */
const shorten = (token) => (token.length > 12 ? `${token.slice(0, 4)}…${token.slice(-4)}` : '…');

function logEvent(name, text) {
  const item = document.createElement('li');
  const time = document.createElement('time');
  time.textContent = new Date().toLocaleTimeString();
  const label = document.createElement('strong');
  label.textContent = name;
  item.append(time, ' ', label, ' ', text);
  document.getElementById('events').prepend(item);
}

/** What renews a token before it expires, by flow: the event log names it when it happens. */
const RENEWED_BY = { token: 'renewed silently (prompt=none in a hidden frame)', code: 'renewed with the refresh token' };
let signedIn = false;

login.addEventListener('token', ({ detail }) => {
  const expires = detail.expiresAt ? `expires ${new Date(detail.expiresAt).toLocaleTimeString()}` : 'no expiry given';
  // A token while one is held is a renewal (here or in another tab), not a sign-in.
  const how = signedIn ? RENEWED_BY[choices.flow] : `via ${FLOW_NAMES[choices.flow]}`;
  signedIn = true;
  // The flow in effect is the one that ran: switching flows signs out first.
  // tokenType says what the provider actually issued: with dpop, `Bearer` means it does not do DPoP.
  logEvent('token', `${how} · tokenType ${detail.tokenType} · ${shorten(detail.accessToken)} · scope "${detail.scope}" · ${expires}`);
});
login.addEventListener('signout', ({ detail }) => {
  signedIn = false;
  logEvent('signout', `reason: ${detail.reason}`);
});
document.addEventListener('oauth-error', ({ detail }) =>
  logEvent('oauth-error', `${detail.error}${detail.description ? `: ${detail.description}` : ''}`),
);
