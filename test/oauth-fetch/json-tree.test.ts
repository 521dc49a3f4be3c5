import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { adoptStyles } from 'lit';
import { renderJsonTree } from '../../src/oauth-fetch/json-tree.js';
import { jsonTreeStyles } from '../../src/oauth-fetch/json-tree-styles.js';

const HOSTILE = '<img src=x onerror=alert(1)>';

/** Puts a tree where <oauth-fetch> puts it: in an open shadow root with the tree's styles. */
async function mount(data: unknown, chunkSize?: number): Promise<{ host: HTMLElement; tree: HTMLElement }> {
  const host = await fixture<HTMLElement>(html`<div></div>`);
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root, [jsonTreeStyles]);
  const tree = renderJsonTree(data, chunkSize === undefined ? {} : { chunkSize });
  root.append(tree);
  return { host, tree };
}

function rowsOf(list: Element): HTMLLIElement[] {
  return [...list.children].filter((child): child is HTMLLIElement => child.matches('li.json-row'));
}

function rootList(tree: HTMLElement): HTMLUListElement {
  return tree.querySelector(':scope > details > ul')!;
}

function nested(tree: HTMLElement, key: string): HTMLDetailsElement {
  const summary = [...rootList(tree).querySelectorAll(':scope > li > details > summary')].find(
    (s) => s.querySelector('.json-key, .json-index')?.textContent === key,
  );
  if (!summary) throw new Error(`no nested node ${key}`);
  return summary.parentElement as HTMLDetailsElement;
}

function moreButton(list: Element): HTMLButtonElement | null {
  return list.querySelector(':scope > li.json-more > button');
}

async function openAndWait(details: HTMLDetailsElement): Promise<void> {
  const toggled = oneEvent(details, 'toggle');
  details.open = true;
  await toggled;
}

describe('renders each JSON type as text with its own class', () => {
  it('quotes strings and gives numbers, booleans and null their classes', () => {
    const tree = renderJsonTree({ s: 'text', n: -1.5e3, t: true, f: false, z: null });
    expect(tree.querySelector('.json-string')!.textContent).to.equal('"text"');
    expect(tree.querySelector('.json-number')!.textContent).to.equal('-1500');
    expect([...tree.querySelectorAll('.json-boolean')].map((b) => b.textContent)).to.deep.equal(['true', 'false']);
    expect(tree.querySelector('.json-null')!.textContent).to.equal('null');
  });

  it('escapes control characters and quotes inside strings like JSON does', () => {
    const tree = renderJsonTree(['a "quoted"\nline']);
    expect(tree.querySelector('.json-string')!.textContent).to.equal('"a \\"quoted\\"\\nline"');
  });

  it('shows empty objects and arrays as {} and [] with nothing to open', () => {
    const tree = renderJsonTree({ o: {}, a: [] });
    expect(tree.querySelectorAll('details')).to.have.length(1);
    expect([...tree.querySelectorAll('.json-empty')].map((e) => e.textContent)).to.deep.equal(['{}', '[]']);
  });
});

describe('renders a hostile string as text', () => {
  const realAlert = window.alert;
  let alerts = 0;
  let tree: HTMLElement | undefined;
  // Were the payload ever parsed as HTML, alert() would block the page rather than fail the test.
  beforeEach(() => {
    alerts = 0;
    window.alert = () => {
      alerts++;
    };
  });
  afterEach(() => {
    tree?.querySelectorAll('img').forEach((img) => img.removeAttribute('onerror'));
    window.alert = realAlert;
  });

  it('shows a hostile value and a hostile key as their characters and creates no element from them', async () => {
    ({ tree } = await mount(JSON.parse(JSON.stringify({ [HOSTILE]: HOSTILE, nested: { [HOSTILE]: [HOSTILE] } }))));
    await openAndWait(nested(tree, '"nested"'));
    await openAndWait(tree.querySelector<HTMLDetailsElement>('details details details')!);
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(alerts).to.equal(0);
    expect(tree.querySelectorAll('img')).to.have.length(0);
    const ownTags = ['details', 'summary', 'ul', 'li', 'span', 'button'];
    const foreign = [...tree.querySelectorAll('*')].filter((e) => !ownTags.includes(e.localName));
    expect(foreign).to.deep.equal([]);
    expect(tree.querySelectorAll('.json-key')[0]!.textContent).to.equal(JSON.stringify(HOSTILE));
    expect([...tree.querySelectorAll('.json-string')].map((s) => s.textContent)).to.deep.equal([
      JSON.stringify(HOSTILE),
      JSON.stringify(HOSTILE),
    ]);
  });
});

describe('shows the first level expanded', () => {
  it('puts the root keys and plain values in the rendered text', async () => {
    const { tree } = await mount({ name: 'Ada', age: 36, admin: false, profile: { city: 'London' } });
    const rootDetails = tree.querySelector(':scope > details') as HTMLDetailsElement;
    expect(rootDetails.open).to.equal(true);
    const text = tree.innerText;
    for (const expected of ['"name"', '"Ada"', '"age"', '36', '"admin"', 'false', '"profile"']) {
      expect(text).to.contain(expected);
    }
  });

  it('states the type and size of each container in its summary', () => {
    const tree = renderJsonTree({ a: { x: 1, y: 2, z: 3 }, b: Array.from({ length: 1000 }, (_, i) => i), c: [1] });
    const summaries = [...rootList(tree).querySelectorAll('summary')].map((s) => s.textContent);
    expect(summaries).to.deep.equal(['"a": {…} 3 keys', '"b": […] 1000 items', '"c": […] 1 item']);
    expect(tree.querySelector(':scope > details > summary')!.textContent).to.equal('{…} 3 keys');
  });
});

describe('starts deeper levels collapsed and builds them on open', () => {
  it('leaves a nested object closed and unbuilt until it is opened', async () => {
    const { tree } = await mount({ profile: { city: 'London', tags: ['x'] } });
    const profile = nested(tree, '"profile"');
    expect(profile.open).to.equal(false);
    expect(profile.querySelectorAll('ul')).to.have.length(0);
    expect(tree.textContent).not.to.contain('London');

    await openAndWait(profile);
    expect(profile.querySelectorAll(':scope > ul')).to.have.length(1);
    expect(tree.textContent).to.contain('"London"');
    const tags = profile.querySelector<HTMLDetailsElement>('details')!;
    expect(tags.open).to.equal(false);
    expect(tags.querySelectorAll('ul')).to.have.length(0);
  });

  it('builds the children only once when a node is closed and opened again', async () => {
    const { tree } = await mount({ profile: { city: 'London' } });
    const profile = nested(tree, '"profile"');
    await openAndWait(profile);
    const closed = oneEvent(profile, 'toggle');
    profile.open = false;
    await closed;
    await openAndWait(profile);
    expect(profile.querySelectorAll(':scope > ul')).to.have.length(1);
    expect(profile.querySelectorAll('li.json-row')).to.have.length(1);
  });
});

describe('toggles a level from the keyboard through its summary', () => {
  it('opens with Enter and closes with Space on a focused summary', async () => {
    const { tree } = await mount({ profile: { city: 'London' } });
    const profile = nested(tree, '"profile"');
    const summary = profile.querySelector('summary')!;
    summary.focus();
    expect(summary.matches(':focus')).to.equal(true);

    let toggled = oneEvent(profile, 'toggle');
    await sendKeys({ press: 'Enter' });
    await toggled;
    expect(profile.open).to.equal(true);
    expect(tree.textContent).to.contain('"London"');

    toggled = oneEvent(profile, 'toggle');
    await sendKeys({ press: ' ' });
    await toggled;
    expect(profile.open).to.equal(false);
  });
});

describe('renders long arrays in chunks with a Show more button', () => {
  it('builds chunkSize rows and a button that appends the next chunk until all are shown', async () => {
    const { tree } = await mount(
      Array.from({ length: 25 }, (_, i) => `item ${i}`),
      10,
    );
    const list = rootList(tree);
    expect(rowsOf(list)).to.have.length(10);
    expect(moreButton(list)!.textContent).to.equal('Show more (15 more)');

    moreButton(list)!.click();
    expect(rowsOf(list)).to.have.length(20);
    expect(moreButton(list)!.textContent).to.equal('Show more (5 more)');
    expect(list.lastElementChild!.matches('li.json-more')).to.equal(true);

    moreButton(list)!.click();
    expect(rowsOf(list)).to.have.length(25);
    expect(list.querySelectorAll('li.json-more')).to.have.length(0);
    expect(rowsOf(list).map((r) => r.querySelector('.json-index')!.textContent)).to.deep.equal(
      Array.from({ length: 25 }, (_, i) => String(i)),
    );
  });

  it('chunks the keys of a large object the same way', () => {
    const big = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`k${i}`, i]));
    const list = rootList(renderJsonTree(big, { chunkSize: 3 }));
    expect(rowsOf(list)).to.have.length(3);
    expect(moreButton(list)!.textContent).to.equal('Show more (4 more)');
  });

  it('uses a real button, reachable from the keyboard, and keeps focus in the tree when it goes away', async () => {
    const { tree } = await mount({ list: [1, 2, 3] }, 2);
    const node = nested(tree, '"list"');
    await openAndWait(node);
    const button = moreButton(node.querySelector('ul')!)!;
    expect(button.localName).to.equal('button');
    expect(button.type).to.equal('button');
    button.focus();
    await sendKeys({ press: 'Enter' });
    expect(node.querySelectorAll('li.json-row')).to.have.length(3);
    expect(node.querySelector('summary')!.matches(':focus')).to.equal(true);
  });
});

describe('first paint builds at most chunkSize rows for a 100000-item array', () => {
  it('builds 100 rows by default for a 100000-item root array', () => {
    const tree = renderJsonTree(Array.from({ length: 100_000 }, (_, i) => ({ id: i })));
    expect(tree.querySelectorAll('li.json-row')).to.have.length(100);
    expect(moreButton(rootList(tree))!.textContent).to.equal('Show more (99900 more)');
  });

  it('reads no more than a chunk of the array, and nothing of a collapsed one', () => {
    const reads = { root: 0, nested: 0 };
    const counting = (items: unknown[], counter: 'root' | 'nested') =>
      new Proxy(items, {
        get(target, property, receiver) {
          if (typeof property === 'string' && /^\d+$/.test(property)) reads[counter]++;
          return Reflect.get(target, property, receiver);
        },
      });
    const nestedItems = counting(
      Array.from({ length: 100_000 }, (_, i) => i),
      'nested',
    );
    const rootItems = counting(
      Array.from({ length: 100_000 }, (_, i) => (i === 0 ? { items: nestedItems } : i)),
      'root',
    );

    renderJsonTree(rootItems, { chunkSize: 50 });
    expect(reads.root).to.be.at.most(50);
    expect(reads.nested).to.equal(0);
  });
});

describe('renders a primitive root as just that value', () => {
  for (const [value, cls, text] of [
    ['hi', 'json-string', '"hi"'],
    [42, 'json-number', '42'],
    [true, 'json-boolean', 'true'],
    [null, 'json-null', 'null'],
  ] as const) {
    it(`renders ${JSON.stringify(value)} alone`, () => {
      const tree = renderJsonTree(value);
      expect(tree.children).to.have.length(1);
      expect(tree.firstElementChild!.className).to.equal(cls);
      expect(tree.textContent).to.equal(text);
      expect(tree.querySelectorAll('details')).to.have.length(0);
    });
  }
});

describe('keeps the key order of the parsed JSON', () => {
  it('lists keys in the order JSON.parse gives them', () => {
    const tree = renderJsonTree(JSON.parse('{"zeta":1,"alpha":2,"mid":3,"beta":4}'));
    const keys = [...rootList(tree).querySelectorAll('.json-key')].map((k) => k.textContent);
    expect(keys).to.deep.equal(['"zeta"', '"alpha"', '"mid"', '"beta"']);
  });
});

describe('shows a __proto__ key as a plain key', () => {
  it('renders a parsed __proto__ member like any other key and pollutes nothing', async () => {
    const { tree } = await mount(JSON.parse('{"__proto__":{"polluted":"yes"},"after":1}'));
    const proto = nested(tree, '"__proto__"');
    expect(proto.querySelector('summary')!.textContent).to.equal('"__proto__": {…} 1 key');
    await openAndWait(proto);
    expect(proto.textContent).to.contain('"polluted": "yes"');
    expect(tree.textContent).to.contain('"after": 1');
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
  });
});

describe('is accessible', () => {
  it('passes an axe audit with a node opened and a Show more button', async () => {
    const { host, tree } = await mount(
      { profile: { city: 'London' }, name: 'Ada', list: [1, 2, 3, 4], active: true, score: 1.5, none: null, empty: {} },
      3,
    );
    await openAndWait(nested(tree, '"profile"'));
    await expect(host).to.be.accessible();
  });
});

describe('draws the disclosure triangle for the eye only', () => {
  // Generated content is read out unless its alternative text is empty; the summary's
  // expanded state is announced already, so a read-out "black right-pointing triangle" is noise.
  it('gives the triangle of a closed and of an open summary empty alternative text', async () => {
    const { tree } = await mount({ profile: { city: 'London' } });
    const content = (summary: Element) => getComputedStyle(summary, '::before').content;
    const open = tree.querySelector(':scope > details > summary')!;
    const closed = nested(tree, '"profile"').querySelector('summary')!;
    expect(content(closed)).to.equal('"▸" / ""');
    expect(content(open)).to.equal('"▾" / ""');
  });
});
