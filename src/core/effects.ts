/**
 * Everything core does to the outside world goes through one of these, so the protocol
 * logic can be tested with fakes and the elements can be driven without leaving the page.
 */
export interface Effects {
  fetch: typeof fetch;
  /** Epoch milliseconds. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /**
   * Runs `callback` once the page's scripts that come after the caller have run, so their
   * listeners hear what happens: at DOMContentLoaded while the document is still being
   * parsed or running its deferred and module scripts, otherwise a task later.
   */
  afterPageScripts(callback: () => void): void;
  getRandomValues(bytes: Uint8Array): Uint8Array;
  /** WebCrypto, for DPoP keys and proofs. */
  readonly subtle: SubtleCrypto;
  /** `null` where the browser refuses IndexedDB (privacy modes, sandboxed frames). */
  indexedDB(): IDBFactory | null;
  /** `null` where the browser refuses access (privacy modes, sandboxed frames). */
  sessionStorage(): Storage | null;
  localStorage(): Storage | null;
  /** The page's current URL. */
  currentUrl(): string;
  /** Rewrites the address bar without adding a history entry. */
  replaceUrl(url: string): void;
  /** Leaves the page for `url`. */
  navigate(url: string): void;
  /** A BroadcastChannel to the page's other tabs, or `null` where there is none. */
  openChannel(name: string): BroadcastChannel | null;
  /** Opens the sign-in popup; must run inside the click, before any await. `null` when blocked. */
  openPopup(): Window | null;
  /** The window that opened this one, if the link is intact. */
  opener(): Window | null;
  closeWindow(): void;
  /** The page that frames this one, or `null` for a top-level page. */
  parent(): Window | null;
  /** Loads `url` in an invisible frame (a silent renewal); `remove` takes it away again. */
  openHiddenFrame(url: string): { window: Window | null; remove(): void };
  /** Listens for `message` events on this window; returns the function that stops. */
  onMessage(listener: (event: MessageEvent) => void): () => void;
  /** Listens for `storage` events (another tab changed localStorage); returns the function that stops. */
  onStorage(listener: (event: StorageEvent) => void): () => void;
  /** Listens for the browser coming back `online`; returns the function that stops. */
  onOnline(listener: () => void): () => void;
  /** Listens for the page being shown again from the back-forward cache (`pageshow`, `persisted`); returns the function that stops. */
  onPageRestored(listener: () => void): () => void;
  /**
   * Runs `body` holding the Web Lock `name`, which one page of the origin at a time holds
   * (`navigator.locks`), and resolves with what it returns; runs it at once where there are
   * no Web Locks (insecure contexts). The lock is held a moment after `body` has finished,
   * so that what it wrote to localStorage has reached the other tabs before the next holder reads it.
   */
  withLock<T>(name: string, body: () => Promise<T>): Promise<T>;
}

function storageOrNull<T>(get: () => T): T | null {
  try {
    return get();
  } catch {
    return null;
  }
}

/** Centred over the page; `popup` makes it a real popup window rather than a tab. */
function popupFeatures(width = 500, height = 650): string {
  const left = Math.max(0, Math.round(window.screenX + (window.outerWidth - width) / 2));
  const top = Math.max(0, Math.round(window.screenY + (window.outerHeight - height) / 2));
  return `popup=yes,width=${width},height=${height},left=${left},top=${top}`;
}

/**
 * Whether DOMContentLoaded is still to come. `readyState` alone can't tell: it stays
 * `interactive` from the end of parsing until `load`, also after the event.
 */
function domContentLoadedIsAhead(): boolean {
  const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  return document.readyState === 'loading' || navigation?.domContentLoadedEventStart === 0;
}

/** Adds `listener` to the window; returns the function that takes it away. */
function listen<K extends keyof WindowEventMap>(type: K, listener: (event: WindowEventMap[K]) => void): () => void {
  window.addEventListener(type, listener);
  return () => window.removeEventListener(type, listener);
}

/** How long a lock stays held after its holder wrote localStorage (see `withLock`). */
const LOCAL_STORAGE_SETTLE_MS = 250;

export function browserEffects(): Effects {
  return {
    fetch: (input, init) => globalThis.fetch(input, init),
    now: () => Date.now(),
    setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as number),
    afterPageScripts: (callback) => {
      // On window, where the event arrives after every listener on document, including a
      // later script's "when the DOM is ready" handler.
      if (domContentLoadedIsAhead()) window.addEventListener('DOMContentLoaded', callback, { once: true });
      else globalThis.setTimeout(callback, 0);
    },
    getRandomValues: (bytes) => crypto.getRandomValues(bytes),
    // A getter: server rendering creates elements where no page, and maybe no WebCrypto, exists.
    get subtle() {
      return crypto.subtle;
    },
    indexedDB: () => storageOrNull(() => indexedDB),
    sessionStorage: () => storageOrNull(() => window.sessionStorage),
    localStorage: () => storageOrNull(() => window.localStorage),
    currentUrl: () => window.location.href,
    replaceUrl: (url) => window.history.replaceState(window.history.state, '', url),
    navigate: (url) => window.location.assign(url),
    openChannel: (name) => (typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : null),
    openPopup: () => window.open('about:blank', '_blank', popupFeatures()),
    opener: () => window.opener as Window | null,
    closeWindow: () => window.close(),
    parent: () => (window.parent === window ? null : window.parent),
    openHiddenFrame: (url) => {
      // hidden: display none, so out of the layout, the focus order and the accessibility tree.
      const frame = document.createElement('iframe');
      frame.hidden = true;
      frame.src = url;
      document.body.append(frame);
      return { window: frame.contentWindow, remove: () => frame.remove() };
    },
    onMessage: (listener) => listen('message', listener),
    onStorage: (listener) => listen('storage', listener),
    onOnline: (listener) => listen('online', listener),
    onPageRestored: (listener) => listen('pageshow', (event) => event.persisted && listener()),
    withLock: <T>(name: string, body: () => Promise<T>) => {
      if (!globalThis.navigator?.locks) return body();
      return new Promise<T>((resolve, reject) => {
        void navigator.locks.request(name, async () => {
          await body().then(resolve, reject);
          // Chromium hands localStorage writes to other tabs asynchronously, after the lock could pass.
          await new Promise((settled) => globalThis.setTimeout(settled, LOCAL_STORAGE_SETTLE_MS));
        });
      });
    },
  };
}
