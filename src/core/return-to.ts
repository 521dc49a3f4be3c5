import { OAuthError } from './errors.js';

/**
 * Where a redirect sign-in started, as this origin's path, query and fragment: `requested`
 * (a `signIn({ returnTo })`, resolved against the page) or else the page itself. Never
 * another origin, so a router that goes to it can never be an open redirect.
 */
export function returnToOf(currentUrl: string, requested?: string): string {
  const here = new URL(currentUrl);
  let target: URL | null = null;
  try {
    target = new URL(requested ?? currentUrl, here);
  } catch {
    // Falls through to the refusal below.
  }
  if (target?.origin !== here.origin) throw new OAuthError('invalid_config', 'returnTo must be a URL of this page’s origin');
  // A path that starts with `//` reads as another host wherever it is used as a relative URL.
  return target.pathname.replace(/^\/{2,}/, '/') + target.search + target.hash;
}

/**
 * The URL to put back in the address bar once the response is out of it: the starting
 * page's, when the provider came back to the path the sign-in started from; else `null`,
 * and the page or its router goes there from `token`'s `returnTo`.
 */
export function restorableUrl(currentUrl: string, returnTo: string): string | null {
  const here = new URL(currentUrl);
  const back = new URL(returnTo, here.origin);
  return back.origin === here.origin && back.pathname === here.pathname && back.href !== here.href ? back.href : null;
}
