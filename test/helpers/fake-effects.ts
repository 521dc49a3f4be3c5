import type { Effects } from '../../src/core/effects.js';

/** A Storage that lives in a Map, so tests can see every write. */
export class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length(): number {
    return this.items.size;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  clear(): void {
    this.items.clear();
  }
  [name: string]: unknown;
}

/** Adds `listener` to `listeners`; returns the function that takes it away, as the browser effects do. */
function subscribe<L>(listeners: Set<L>, listener: L): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Links the fake BroadcastChannels of several FakeEffects, like tabs of one origin. */
export class FakeTabs {
  readonly channels = new Set<FakeChannel>();
  /** Each Web Lock's queue: the promise the next holder waits for. */
  readonly locks = new Map<string, Promise<unknown>>();
  /** The names of the locks taken, in order. */
  readonly lockRequests: string[] = [];
}

class FakeChannel extends EventTarget {
  constructor(
    readonly name: string,
    private readonly tabs: FakeTabs,
  ) {
    super();
    tabs.channels.add(this);
  }
  postMessage(data: unknown): void {
    for (const channel of this.tabs.channels) {
      // Like BroadcastChannel: every other channel of that name, never the sender, a copy of the data.
      if (channel !== this && channel.name === this.name)
        channel.dispatchEvent(new MessageEvent('message', { data: structuredClone(data) }));
    }
  }
  close(): void {
    this.tabs.channels.delete(this);
  }
}

/** A popup window as the opener sees it. */
export class FakePopup {
  closed = false;
  readonly navigations: string[] = [];
  readonly location = { assign: (url: string) => this.navigations.push(url) };
  close(): void {
    this.closed = true;
  }
}

/** A hidden frame (silent renewal) as the page that made it sees it. */
export class FakeFrame {
  /** Stands for the frame's window: what `event.source` is for a message the frame posts. */
  readonly window = {};
  removed = false;
  constructor(readonly url: string) {}
}

interface Timer {
  at: number;
  callback: () => void;
}

/**
 * Effects for core unit tests: a clock that only moves when told, storages in memory, an
 * address bar that is just a string, and a record of every navigation.
 */
export class FakeEffects implements Effects {
  time = Date.UTC(2026, 0, 1);
  url: string;
  readonly session = new MemoryStorage();
  readonly local = new MemoryStorage();
  readonly navigations: string[] = [];
  readonly urlReplacements: string[] = [];
  /** Every delay handed to setTimeout, to check the long-lifetime stepping. */
  readonly requestedDelays: number[] = [];
  randomByte = 0;
  private readonly timers = new Map<number, Timer>();
  private nextTimer = 1;

  constructor(
    url = 'https://app.example/page',
    readonly tabs = new FakeTabs(),
  ) {
    this.url = url;
  }

  openChannel = (name: string): BroadcastChannel => new FakeChannel(name, this.tabs) as unknown as BroadcastChannel;

  /** The popups this page opened; `null` entries stand for a blocked popup when `blockPopups` is set. */
  readonly popups: FakePopup[] = [];
  blockPopups = false;
  openerWindow: Window | null = null;
  closed = false;
  private readonly messageListeners = new Set<(event: MessageEvent) => void>();

  openPopup = (): Window | null => {
    if (this.blockPopups) return null;
    const popup = new FakePopup();
    this.popups.push(popup);
    return popup as unknown as Window;
  };
  opener = (): Window | null => this.openerWindow;
  closeWindow = (): void => {
    this.closed = true;
  };
  /** The page framing this one; `null`: a top-level page. */
  parentWindow: Window | null = null;
  parent = (): Window | null => this.parentWindow;
  /** The hidden frames this page made, in order. */
  readonly frames: FakeFrame[] = [];
  openHiddenFrame = (url: string): { window: Window | null; remove(): void } => {
    const frame = new FakeFrame(url);
    this.frames.push(frame);
    return { window: frame.window as Window, remove: () => (frame.removed = true) };
  };
  /** The page's `storage` listeners: a test counts them, and fires one with {@link storageChanged}. */
  readonly storageListeners = new Set<(event: StorageEvent) => void>();
  onStorage = (listener: (event: StorageEvent) => void): (() => void) => subscribe(this.storageListeners, listener);
  /** Another tab wrote `key` in localStorage (`newValue`), or removed it (`null`). */
  storageChanged(key: string, newValue: string | null): void {
    for (const listener of [...this.storageListeners]) listener(new StorageEvent('storage', { key, newValue }));
  }
  private readonly onlineListeners = new Set<() => void>();
  onOnline = (listener: () => void): (() => void) => subscribe(this.onlineListeners, listener);
  /** The browser's `online` event: the network is back. */
  comeOnline(): void {
    for (const listener of [...this.onlineListeners]) listener();
  }
  private readonly restoredListeners = new Set<() => void>();
  onPageRestored = (listener: () => void): (() => void) => subscribe(this.restoredListeners, listener);
  /** The page comes back from the back-forward cache (`pageshow` with `persisted`). */
  restoreFromCache(): void {
    for (const listener of [...this.restoredListeners]) listener();
  }
  onMessage = (listener: (event: MessageEvent) => void): (() => void) => subscribe(this.messageListeners, listener);

  /** Delivers a `message` event to this page, as postMessage from `source` at `origin` would. */
  receiveMessage(data: unknown, origin: string, source: unknown): void {
    // A plain object: MessageEvent's constructor only takes real windows as its source.
    const event = { type: 'message', data, origin, source } as unknown as MessageEvent;
    for (const listener of [...this.messageListeners]) listener(event);
  }

  get messageListenerCount(): number {
    return this.messageListeners.size;
  }

  fetch: typeof fetch = () => Promise.reject(new Error('FakeEffects.fetch was not set for this test'));
  now = (): number => this.time;
  setTimeout = (callback: () => void, ms: number): unknown => {
    this.requestedDelays.push(ms);
    const id = this.nextTimer++;
    // Browsers fire a delay above 2^31-1 ms at once: such a timer is always a bug, so fail loudly.
    if (ms > 2 ** 31 - 1) throw new RangeError(`setTimeout(${ms}) would fire at once in a browser`);
    this.timers.set(id, { at: this.time + ms, callback });
    return id;
  };
  clearTimeout = (handle: unknown): void => {
    this.timers.delete(handle as number);
  };
  /** Like navigator.locks.request: one holder at a time per name among the linked tabs. */
  withLock = <T>(name: string, body: () => Promise<T>): Promise<T> => {
    this.tabs.lockRequests.push(name);
    const held = (this.tabs.locks.get(name) ?? Promise.resolve()).then(body);
    this.tabs.locks.set(
      name,
      held.catch(() => undefined),
    );
    return held;
  };
  afterPageScripts = (callback: () => void): void => {
    this.setTimeout(callback, 0);
  };
  getRandomValues = (bytes: Uint8Array): Uint8Array => crypto.getRandomValues(bytes);
  readonly subtle = crypto.subtle;
  /** No IndexedDB by default, so DPoP keys stay in the test; set one to test keeping them. */
  indexedDBFactory: IDBFactory | null = null;
  indexedDB = (): IDBFactory | null => this.indexedDBFactory;
  sessionStorage = (): Storage => this.session;
  localStorage = (): Storage => this.local;
  currentUrl = (): string => this.url;
  replaceUrl = (url: string): void => {
    this.urlReplacements.push(url);
    this.url = url;
  };
  navigate = (url: string): void => {
    this.navigations.push(url);
  };

  /** Moves the clock, firing due timers in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, timer]) => timer.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = Math.max(this.time, due[1].at);
      due[1].callback();
    }
    this.time = end;
  }

  get pendingTimers(): number {
    return this.timers.size;
  }
}
