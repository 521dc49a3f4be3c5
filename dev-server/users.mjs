import { createHash, timingSafeEqual } from 'node:crypto';

export const defaultUsers = [{ username: 'demo', password: 'demo', name: 'Ada Demo', email: 'ada@example.test' }];

/** Merges `extra` over the defaults by username, like the client registry. */
export function createUserDirectory(extra = []) {
  const byName = new Map();
  for (const user of [...defaultUsers, ...extra]) byName.set(user.username, { ...user });
  const [first] = byName.values();
  return {
    get: (username) => byName.get(username),
    /** The account the login page advertises and `autoApprove` signs in as. */
    first,
    verify(username, password) {
      const user = byName.get(username);
      // Compare digests so the time taken does not reveal how much of the password matched.
      const matches = user !== undefined && timingSafeEqual(digest(password), digest(user.password));
      return matches ? user : undefined;
    },
  };
}

const digest = (value) => createHash('sha256').update(String(value)).digest();
