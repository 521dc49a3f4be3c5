import { expect } from '@open-wc/testing';
import { DPOP_DATABASE, DpopKeyStore } from '../../src/core/dpop-key-store.js';

const browser = { subtle: crypto.subtle, indexedDB: () => indexedDB };
let owners = 0;
// Each test its own owner: the database is shared by the whole test page.
const newOwner = () => `test-owner-${Date.now()}-${owners++}`;

async function publicKeyOf(pair: CryptoKeyPair): Promise<string> {
  const { x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
  return `${x}.${y}`;
}

/** What IndexedDB itself holds for `owner`, read around the store. */
function storedRecord(owner: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DPOP_DATABASE);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const database = open.result;
      const read = database.transaction('keys', 'readonly').objectStore('keys').get(owner);
      read.onsuccess = () => {
        database.close();
        resolve(read.result);
      };
      read.onerror = () => reject(read.error);
    };
  });
}

describe('the DPoP key store', () => {
  for (const kind of ['session', 'local'] as const) {
    it(`with ${kind} storage, gives a reload the same key pair, still non-extractable`, async () => {
      const owner = newOwner();
      const first = await new DpopKeyStore(browser, kind).keyPair(owner);
      const reloaded = await new DpopKeyStore(browser, kind).keyPair(owner);
      expect(reloaded).not.to.equal(first);
      expect(await publicKeyOf(reloaded)).to.equal(await publicKeyOf(first));
      expect(reloaded.privateKey.extractable).to.equal(false);
      let failure: unknown;
      await crypto.subtle.exportKey('pkcs8', reloaded.privateKey).catch((error: unknown) => (failure = error));
      expect(failure).to.be.instanceOf(DOMException);
      // The reloaded key still signs, so tokens bound to it keep working.
      const data = new TextEncoder().encode('x');
      const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, reloaded.privateKey, data);
      expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, first.publicKey, signature, data)).to.equal(true);
    });
  }

  it('keeps a CryptoKey in IndexedDB, never key bytes', async () => {
    const owner = newOwner();
    await new DpopKeyStore(browser, 'local').keyPair(owner);
    const record = (await storedRecord(owner)) as CryptoKeyPair;
    expect(record.privateKey).to.be.instanceOf(CryptoKey);
    expect(record.privateKey.extractable).to.equal(false);
    expect(Object.keys(record).sort()).to.deep.equal(['privateKey', 'publicKey']);
  });

  it('gives the same key pair to every call in one page', async () => {
    const store = new DpopKeyStore(browser, 'memory');
    const owner = newOwner();
    const [a, b] = await Promise.all([store.keyPair(owner), store.keyPair(owner)]);
    expect(a).to.equal(b);
    expect(await store.keyPair(newOwner())).not.to.equal(a);
  });

  it('gives two tabs starting at once one key pair', async () => {
    const owner = newOwner();
    const [a, b] = await Promise.all([
      new DpopKeyStore(browser, 'local').keyPair(owner),
      new DpopKeyStore(browser, 'local').keyPair(owner),
    ]);
    expect(await publicKeyOf(a)).to.equal(await publicKeyOf(b));
  });

  it('with memory storage, writes nothing to IndexedDB', async () => {
    const owner = newOwner();
    let opened = 0;
    const store = new DpopKeyStore({ subtle: crypto.subtle, indexedDB: () => (opened++, indexedDB) }, 'memory');
    const pair = await store.keyPair(owner);
    expect(pair.privateKey.extractable).to.equal(false);
    await store.delete(owner);
    expect(opened).to.equal(0);
    expect(await storedRecord(owner)).to.equal(undefined);
    expect(await publicKeyOf(await new DpopKeyStore(browser, 'memory').keyPair(owner))).not.to.equal(await publicKeyOf(pair));
  });

  it('deletes the key pair on delete: the next one is new, here and after a reload', async () => {
    const owner = newOwner();
    const store = new DpopKeyStore(browser, 'local');
    const before = await publicKeyOf(await store.keyPair(owner));
    await store.delete(owner);
    expect(await storedRecord(owner)).to.equal(undefined);
    expect(await publicKeyOf(await new DpopKeyStore(browser, 'local').keyPair(owner))).not.to.equal(before);
    expect(await publicKeyOf(await store.keyPair(owner))).not.to.equal(before);
  });

  it('replaces a stored value that is not a non-extractable P-256 key pair', async () => {
    const owner = newOwner();
    const extractable = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open(DPOP_DATABASE);
      open.onsuccess = () => {
        const transaction = open.result.transaction('keys', 'readwrite');
        transaction.objectStore('keys').put(extractable, owner);
        transaction.oncomplete = () => (open.result.close(), resolve());
        transaction.onerror = () => reject(transaction.error);
      };
    });
    const pair = await new DpopKeyStore(browser, 'local').keyPair(owner);
    expect(pair.privateKey.extractable).to.equal(false);
    expect(await publicKeyOf(pair)).not.to.equal(await publicKeyOf(extractable));
  });

  describe('where IndexedDB fails, falls back to a key for this page without throwing', () => {
    const failing: Record<string, () => IDBFactory | null> = {
      'is missing': () => null,
      'throws on access': () => {
        throw new DOMException('denied', 'SecurityError');
      },
      'throws on open': () =>
        ({
          open: () => {
            throw new DOMException('private mode', 'InvalidStateError');
          },
        }) as unknown as IDBFactory,
      'fails the open request': () =>
        ({
          open: () => {
            const request = { error: new DOMException('quota', 'UnknownError') } as unknown as IDBOpenDBRequest;
            setTimeout(() => request.onerror?.(new Event('error')));
            return request;
          },
        }) as unknown as IDBFactory,
    };
    for (const [how, factory] of Object.entries(failing)) {
      it(`when it ${how}`, async () => {
        const store = new DpopKeyStore({ subtle: crypto.subtle, indexedDB: factory }, 'local');
        const owner = newOwner();
        const pair = await store.keyPair(owner);
        expect(pair.privateKey.extractable).to.equal(false);
        expect(await store.keyPair(owner)).to.equal(pair);
        await store.delete(owner);
        expect(await store.keyPair(owner)).not.to.equal(pair);
      });
    }
  });
});
