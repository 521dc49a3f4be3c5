// A classic script, so it runs while the page is parsed, before any module (and so before
// the elements): what the address bar and history looked like on arrival, and every
// Content-Security-Policy violation from the very start.
window.e2eEarly = {
  historyLength: history.length,
  arrivedWithFragment: location.hash !== '',
};
window.cspViolations = [];
document.addEventListener(
  'securitypolicyviolation',
  (event) => window.cspViolations.push({ directive: event.violatedDirective, blockedURI: event.blockedURI, sample: event.sample }),
  true,
);
