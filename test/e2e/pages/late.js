// A module script after the bundle: the first of the page's own scripts to run once the
// elements are defined. What it sees is what any script of the page sees, and the events
// it listens for, directly or once the DOM is ready, must still reach it.
window.e2eLate = { href: location.href, historyLength: history.length, tokens: 0, tokensOnceReady: 0 };
document.addEventListener('token', () => window.e2eLate.tokens++);
document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('login').addEventListener('token', () => window.e2eLate.tokensOnceReady++);
});
