// The in-page half of `npm run bench`: one case, one run, in a fresh page.
//
// Every case starts its clock when the body text is in hand, which is when `TextDecoder`'s
// `decode()` returns it or a `Response.prototype.text()` promise resolves (both wrapped below,
// before any other script runs, so the real <oauth-fetch> is timed at the same point as the
// hand-written cases), and stops it when the frame after rendering has been produced:
// requestAnimationFrame, then a MessageChannel task after it, i.e. once that frame's paint has
// run. Each case is also timed from its request's start, the whole wait a person sees.

const marks = { textAt: NaN, decodeMs: NaN, parsedAt: NaN, body: null, heapPeak: 0 };

function sampleHeap() {
  marks.heapPeak = Math.max(marks.heapPeak, performance.memory.usedJSHeapSize);
}

function textInHand(body) {
  marks.textAt = performance.now();
  marks.body = body;
  sampleHeap();
  return body;
}
const realText = Response.prototype.text;
Response.prototype.text = function text() {
  return realText.call(this).then(textInHand);
};
const realDecode = TextDecoder.prototype.decode;
TextDecoder.prototype.decode = function decode(input, options) {
  const decodeStart = performance.now();
  const body = realDecode.call(this, input, options);
  marks.decodeMs = performance.now() - decodeStart;
  return textInHand(body);
};

// Only the parse of the response body counts, not any other JSON.parse on the page.
const realParse = JSON.parse;
JSON.parse = function parse(text, reviver) {
  const value = realParse.call(this, text, reviver);
  if (text === marks.body) marks.parsedAt = performance.now();
  return value;
};

function painted() {
  return new Promise((resolve) => {
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve(performance.now());
      channel.port2.postMessage(null);
    });
  });
}

/** The body as text, read as <oauth-fetch> reads it: the bytes, then decoded in one go. */
async function fetchText(url) {
  const response = await fetch(url, { headers: { Authorization: 'Bearer bench-token' } });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return new TextDecoder().decode(await response.arrayBuffer());
}

/** Keeps what each case rendered reachable, so that the heap figures count it. */
const kept = [];

/**
 * Every page loads every script a case may need before the clock starts, so that the pages
 * differ only in the case they run, not in what code and heap they start with.
 */
const modules = {};
window.prepare = async (withElement) => {
  modules.tree = await import('/bundles/tree.js');
  await import('/bundles/json-viewer.js');
  if (withElement) await import('/dist/oauth-elements.js');
};

const cases = {
  async parse(url) {
    kept.push(JSON.parse(await fetchText(url)));
  },

  async tree(url) {
    const { renderJsonTree, jsonTreeStyles, adoptStyles } = modules.tree;
    const body = await fetchText(url);
    // Where <oauth-fetch> puts it: an open shadow root with the tree's styles.
    const host = document.createElement('div');
    const root = host.attachShadow({ mode: 'open' });
    adoptStyles(root, [jsonTreeStyles]);
    root.append(renderJsonTree(JSON.parse(body)));
    document.body.append(host);
  },

  async element(url) {
    const element = document.createElement('oauth-fetch');
    const responded = new Promise((resolve, reject) => {
      element.addEventListener('response', resolve, { once: true });
      element.addEventListener('oauth-error', (event) => reject(new Error(`oauth-error ${JSON.stringify(event.detail)}`)), { once: true });
    });
    element.token = 'bench-token';
    element.setAttribute('src', url);
    document.body.append(element);
    await responded;
    if (Number.isNaN(marks.textAt)) throw new Error('<oauth-fetch> read the body neither with TextDecoder nor with Response.text()');
    kept.push(element);
  },

  async pre(url) {
    const pre = document.createElement('pre');
    pre.textContent = JSON.stringify(JSON.parse(await fetchText(url)), null, 2);
    document.body.append(pre);
  },

  async viewer(url) {
    const viewer = document.createElement('json-viewer');
    viewer.data = JSON.parse(await fetchText(url));
    document.body.append(viewer);
    await viewer.updateComplete;
  },
};

/**
 * Runs one case and answers `{ ms, fromRequestMs, readMs, decodeMs, afterParseMs, heapPeakBytes }`:
 * `fromRequestMs` from the request's start (resource timing `startTime`) to the painted frame,
 * `readMs` from the response's last byte (`responseEnd`) to the body text in hand, which for
 * `Response.text()` includes decoding; `decodeMs` only where the case decodes with TextDecoder.
 */
window.runCase = async (name, url) => {
  sampleHeap();
  await cases[name](url);
  sampleHeap();
  const paintedAt = await painted();
  sampleHeap();
  const [timing] = performance.getEntriesByName(url, 'resource');
  return {
    ms: paintedAt - marks.textAt,
    fromRequestMs: paintedAt - timing.startTime,
    readMs: marks.textAt - timing.responseEnd,
    decodeMs: marks.decodeMs,
    afterParseMs: paintedAt - marks.parsedAt,
    heapPeakBytes: marks.heapPeak,
  };
};

/** Whether dist/oauth-elements.js is there and registers <oauth-fetch>. */
window.loadElement = async () => {
  try {
    await import('/dist/oauth-elements.js');
  } catch (error) {
    return `dist/oauth-elements.js did not load: ${error.message}`;
  }
  return customElements.get('oauth-fetch') ? '' : 'dist/oauth-elements.js does not define <oauth-fetch>';
};
