/**
 * The auth-params of the `scheme` challenge in a `WWW-Authenticate` header (RFC 9110
 * §11.6.1): `error`, `error_description`, `scope`, `algs`… with names lower-cased, or
 * `null` when the header has no such challenge. Other challenges in the same header
 * (`Bearer realm=…, DPoP algs=…`) are told apart.
 */
export function challengeParams(header: string, scheme: 'Bearer' | 'DPoP'): Record<string, string> | null {
  // A bare token is a scheme that starts a challenge; `name=value` is a parameter of the current one.
  const item = /([\w!#$%&'*+.^`|~-]+)(?:\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*)))?/g;
  let current: Record<string, string> | null = null;
  let found: Record<string, string> | null = null;
  for (const [, name, quoted, plain] of header.matchAll(item)) {
    if (quoted === undefined && plain === undefined) {
      current = {};
      if (!found && name.toLowerCase() === scheme.toLowerCase()) found = current;
    } else if (current) {
      current[name.toLowerCase()] = quoted === undefined ? plain : quoted.replace(/\\(.)/g, '$1');
    }
  }
  return found;
}
