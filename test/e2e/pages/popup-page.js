// For the popup pages: every popup response message this window receives, whoever sent it
// (so a test knows a forged message did arrive before it checks it was ignored), and
// `?sign-in=on-load`, which signs in as soon as the element is defined, outside any click,
// as a page that gets the popup rule wrong would.
window.e2ePopupMessages = [];
window.addEventListener('message', (event) => {
  if (event.data?.type !== 'oauth-elements:popup-response') return;
  const from =
    event.source === null
      ? 'none'
      : [...document.querySelectorAll('iframe')].some((frame) => frame.contentWindow === event.source)
        ? 'frame'
        : 'window';
  window.e2ePopupMessages.push({ origin: event.origin, from });
});

if (new URLSearchParams(location.search).get('sign-in') === 'on-load') {
  customElements.whenDefined('oauth-login').then(() => document.getElementById('login').signIn());
}
