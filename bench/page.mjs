// The in-page half of `npm run bench`: one case, one run, in a fresh page.
//
// Every case starts its clock when the body text is in hand, which is when the
// `Response.prototype.text()` promise resolves (wrapped below, before any other script runs,
// so the real <oauth-fetch> is timed at the same point as the hand-written cases), and stops
// it when the frame after rendering has been produced: requestAnimationFrame, then a
// MessageChannel task after it, i.e. once that frame's paint has run.

const marks = { textAt: NaN, decodeMs: NaN, parsedAt: NaN, body: null, heapPeak: 0 };

function sampleHeap() {
  marks.heapPeak = Math.max(marks.heapPeak, performance.memory.usedJSHeapSize);
}

const realText = Response.prototype.text;
Response.prototype.text = function text() {
  return realText.call(this).then((body) => {
    marks.textAt = performance.now();
    marks.body = body;
    sampleHeap();
    return body;
  });
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

async function fetchText(url) {
  const response = await fetch(url, { headers: { Authorization: 'Bearer bench-token' } });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.text();
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
  // The floor reads the bytes and decodes them in two steps, so that the table can tell reading from decoding.
  async parse(url) {
    const response = await fetch(url, { headers: { Authorization: 'Bearer bench-token' } });
    const bytes = await response.arrayBuffer();
    const decodeStart = performance.now();
    const body = new TextDecoder().decode(bytes);
    marks.textAt = performance.now();
    marks.decodeMs = marks.textAt - decodeStart;
    marks.body = body;
    kept.push(JSON.parse(body));
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
    if (Number.isNaN(marks.textAt)) throw new Error('<oauth-fetch> did not read the body with Response.text()');
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
 * Runs one case and answers `{ ms, readMs, decodeMs, afterParseMs, heapPeakBytes }`: `readMs` from the
 * response's last byte (its resource timing `responseEnd`) to the body text in hand, which for
 * `Response.text()` includes decoding; `decodeMs` only where the case decodes on its own.
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
