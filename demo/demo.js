// The demo's own wiring: the storage choice and the event log. The elements themselves
// need none of this.
const STORAGE_CHOICE = 'oauth-elements-demo:storage';
const login = document.getElementById('login');

// Chosen before the element starts (storage is read once), and kept across the sign-in round trip.
const storage = sessionStorage.getItem(STORAGE_CHOICE) ?? 'memory';
login.setAttribute('storage', storage);
for (const radio of document.querySelectorAll('input[name="storage"]')) {
  radio.checked = radio.value === storage;
  radio.addEventListener('change', () => {
    login.signOut?.();
    sessionStorage.setItem(STORAGE_CHOICE, radio.value);
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
document.addEventListener('oauth-error', ({ detail }) => logEvent('oauth-error', `${detail.error}${detail.description ? `: ${detail.description}` : ''}`));
