/** Helpers for element tests that use the real page: its address bar, history and storages. */

export const TEST_PREFIX = 'oauth-elements:';

/** Removes every key this project wrote, and any fragment, so tests do not leak into each other. */
export function resetPage(): void {
  for (const storage of [sessionStorage, localStorage]) {
    for (const key of Object.keys(storage)) if (key.startsWith(TEST_PREFIX)) storage.removeItem(key);
  }
  if (location.hash || location.href.endsWith('#')) history.replaceState(null, '', location.href.split('#')[0]);
}

/** Puts `fragment` in the address bar as if the provider had just redirected here. */
export function arriveWith(fragment: string): void {
  history.replaceState(null, '', location.href.split('#')[0] + fragment);
}

/** Every value of every key this project wrote, to check a token is stored (or not). */
export function projectStorageDump(): string {
  const values: string[] = [];
  for (const storage of [sessionStorage, localStorage]) {
    for (const key of Object.keys(storage)) if (key.startsWith(TEST_PREFIX)) values.push(`${key}=${storage.getItem(key)}`);
  }
  return values.join('\n');
}
