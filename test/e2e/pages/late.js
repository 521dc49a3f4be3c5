// A module script after the bundle: the first of the page's own scripts to run once the
// elements are defined. What it sees is what any script of the page sees.
window.e2eLate = { href: location.href, historyLength: history.length };
