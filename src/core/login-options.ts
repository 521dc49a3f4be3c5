/**
 * A login's options as the page set them, and what can be read from them unchecked: the
 * parts every page needs at once. Checking them against each other and the provider
 * (login-config.ts) waits for a sign-in.
 */
import type { ResponseType } from './pending-requests.js';
import { PROVIDER_TIME_LIMIT_MS } from './time-limit.js';

export type { ResponseType };

export type StorageKind = 'memory' | 'session' | 'local';
export type SignInMode = 'redirect' | 'popup';

/**
 * The `<oauth-login>` attributes as the page wrote them: unchecked strings. The element
 * itself has these properties, so it passes itself.
 */
export interface LoginOptions {
  authorizeUrl?: string | null;
  clientId?: string | null;
  redirectUri?: string | null;
  scope?: string | null;
  responseType?: string | null;
  tokenUrl?: string | null;
  issuer?: string | null;
  revocationUrl?: string | null;
  storage?: string | null;
  mode?: string | null;
  /** Milliseconds each request to the provider may take; unset, zero or not a number: the default. */
  timeout?: number | null;
  /** Sender-constrained tokens (RFC 9449), for the code grant. */
  dpop?: boolean | null;
  /** The element's `id`, when it has one: tells apart two logins for the same client. */
  id?: string | null;
}

const STORAGE_KINDS: readonly StorageKind[] = ['memory', 'session', 'local'];

export function parseStorageKind(value: string | null | undefined): StorageKind | null {
  const kind = value || 'memory';
  return (STORAGE_KINDS as readonly string[]).includes(kind) ? (kind as StorageKind) : null;
}

/** How long each request to the provider may take. */
export function timeLimitOf(options: LoginOptions): number {
  const timeout = Number(options.timeout);
  return timeout > 0 ? timeout : PROVIDER_TIME_LIMIT_MS;
}

/** Which pending requests and stored tokens belong to which element. */
export function ownerKey(options: LoginOptions): string {
  return [options.id ?? '', options.clientId ?? '', options.authorizeUrl || options.issuer || ''].join(' ');
}
