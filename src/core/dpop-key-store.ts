import { DpopProver, generateDpopKeyPair, isDpopKeyPair, type DpopEffects } from './dpop.js';

/** `indexedDB()` is `null` (or throws) where the browser refuses it: privacy modes, sandboxed frames. */
export interface DpopKeyStoreEffects {
  subtle: SubtleCrypto;
  indexedDB(): IDBFactory | null;
}

export const DPOP_DATABASE = 'oauth-elements-dpop';
const OBJECT_STORE = 'keys';

/**
 * Each login's DPoP key pair. With `memory` storage it lives in this page only; with
 * `session` or `local` it is also kept in IndexedDB, the one browser storage that holds a
 * CryptoKey itself (a structured clone, still non-extractable) rather than its bytes, so a
 * reload can keep using tokens bound to it. IndexedDB failing is never an error: the
 * login then gets a key for this page only, and its tokens end with the page.
 */
export class DpopKeyStore {
  readonly #effects: DpopKeyStoreEffects;
  readonly #persist: boolean;
  readonly #pairs = new Map<string, Promise<CryptoKeyPair>>();
  readonly #provers = new Map<string, Promise<DpopProver>>();

  constructor(effects: DpopKeyStoreEffects, kind: 'memory' | 'session' | 'local') {
    this.#effects = effects;
    this.#persist = kind !== 'memory';
  }

  /** The owner's key pair: the one kept for it, or a new one (kept when storage allows). */
  keyPair(owner: string): Promise<CryptoKeyPair> {
    let pair = this.#pairs.get(owner);
    if (!pair) {
      pair = this.#loadOrCreate(owner);
      this.#pairs.set(owner, pair);
    }
    return pair;
  }

  /** The owner's prover: one per key, so the nonces servers gave stay with it. */
  prover(owner: string, effects: DpopEffects): Promise<DpopProver> {
    let prover = this.#provers.get(owner);
    if (!prover) {
      prover = this.keyPair(owner).then((pair) => new DpopProver(effects, pair));
      this.#provers.set(owner, prover);
    }
    return prover;
  }

  /** Forgets the owner's key pair here and in IndexedDB (on sign-out): tokens bound to it die with it. */
  async delete(owner: string): Promise<void> {
    this.#pairs.delete(owner);
    this.#provers.delete(owner);
    if (!this.#persist) return;
    try {
      await this.#transaction('readwrite', (store) => void store.delete(owner));
    } catch {
      // Nothing to delete where IndexedDB cannot be opened.
    }
  }

  async #loadOrCreate(owner: string): Promise<CryptoKeyPair> {
    const fresh = await generateDpopKeyPair(this.#effects.subtle);
    if (!this.#persist) return fresh;
    try {
      // Read and write in one transaction, so two tabs starting at once end up with one key.
      return await this.#transaction<CryptoKeyPair>('readwrite', (store, result) => {
        const read = store.get(owner);
        read.onsuccess = () => {
          if (isDpopKeyPair(read.result)) return result(read.result);
          store.put(fresh, owner);
          result(fresh);
        };
      });
    } catch {
      return fresh;
    }
  }

  /** Runs `body` in a transaction and resolves with what it reported once the transaction has committed. */
  async #transaction<T = void>(mode: IDBTransactionMode, body: (store: IDBObjectStore, result: (value: T) => void) => void): Promise<T> {
    const database = await openDatabase(this.#effects.indexedDB());
    try {
      return await new Promise<T>((resolve, reject) => {
        const transaction = database.transaction(OBJECT_STORE, mode);
        let value: T;
        body(transaction.objectStore(OBJECT_STORE), (result) => (value = result));
        transaction.oncomplete = () => resolve(value);
        transaction.onerror = transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB aborted'));
      });
    } finally {
      database.close();
    }
  }
}

function openDatabase(factory: IDBFactory | null): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (!factory) throw new Error('IndexedDB is unavailable');
    const request = factory.open(DPOP_DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(OBJECT_STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB refused'));
  });
}
