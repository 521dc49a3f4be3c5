// The demo's own wiring: the variant switches and the event log. The elements themselves
// need none of this.
const CHOICES = 'oauth-elements-demo:choices';
const AUTH_SERVER = 'http://127.0.0.1:9000';
const login = document.getElementById('login');

// Applied before the elements start (the bundle loads after this module), and kept in
// sessionStorage so they survive the round trip to the provider.
const defaults = { flow: 'token', mode: 'redirect', storage: 'memory' };
const choices = { ...defaults, ...JSON.parse(sessionStorage.getItem(CHOICES) ?? '{}') };
login.setAttribute('storage', choices.storage);
login.setAttribute('mode', choices.mode);
if (choices.flow === 'code') {
  // With issuer, the token, revocation and authorization endpoints come from discovery.
  login.setAttribute('response-type', 'code');
  login.setAttribute('issuer', AUTH_SERVER);
}
document.getElementById('variant-markup').textContent =
  `This button: response-type="${choices.flow}", mode="${choices.mode}", storage="${choices.storage}".`;

for (const radio of document.querySelectorAll('.variants input[type="radio"]')) {
  radio.checked = choices[radio.name] === radio.value;
  radio.addEventListener('change', () => {
    login.signOut?.();
    sessionStorage.setItem(CHOICES, JSON.stringify({ ...choices, [radio.name]: radio.value }));
    location.reload();
  });
}

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

login.addEventListener('token', ({ detail }) => {
  const expires = detail.expiresAt ? `expires ${new Date(detail.expiresAt).toLocaleTimeString()}` : 'no expiry given';
  logEvent('token', `${shorten(detail.accessToken)} · scope "${detail.scope}" · ${expires}`);
});
login.addEventListener('signout', ({ detail }) => logEvent('signout', `reason: ${detail.reason}`));
document.addEventListener('oauth-error', ({ detail }) =>
  logEvent('oauth-error', `${detail.error}${detail.description ? `: ${detail.description}` : ''}`),
);
