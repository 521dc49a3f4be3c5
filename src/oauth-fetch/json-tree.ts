import { createElement } from '../dom.js';

export { jsonTreeStyles } from './json-tree-styles.js';

/**
 * A collapsible view of a JSON value, built with plain DOM calls so that no byte from the
 * server is ever parsed as HTML, and built lazily so that the first paint costs the same for
 * a 1 KB and a 10 MB response.
 */

/** Options for {@link renderJsonTree}. */
export interface JsonTreeOptions {
  /**
   * How many entries of one array or object are built at a time; the rest wait behind a
   * "Show more" button. Default 100.
   */
  chunkSize?: number;
}

const DEFAULT_CHUNK_SIZE = 100;
/** Between a key and its value: a plain text node (appended as a string), one element fewer per row to build and lay out. */
const SEPARATOR = ': ';

/** A non-empty array or object, with what its rows need to be built on demand. */
interface Branch {
  readonly kind: 'array' | 'object';
  readonly size: number;
  keyAt(index: number): string | number;
  valueAt(index: number): unknown;
}

/**
 * Builds a collapsible tree for any JSON value. Every key and value is set as text
 * (textContent / Text nodes), never as HTML.
 *
 * The first level of an array or object is built expanded; deeper levels start collapsed
 * (native `<details>`), and are built when first opened. Each level builds `chunkSize` rows
 * at a time, with a "Show more (N more)" button for the rest.
 */
export function renderJsonTree(data: unknown, options: JsonTreeOptions = {}): HTMLElement {
  const chunkSize = Math.max(1, Math.floor(options.chunkSize ?? DEFAULT_CHUNK_SIZE));
  const tree = createElement('div', { class: 'json-tree' });
  const branch = toBranch(data);
  tree.append(branch ? branchNode(branch, undefined, true, chunkSize) : leafNode(data));
  return tree;
}

/** Returns null for primitives and for empty arrays and objects, which have nothing to open. */
function toBranch(value: unknown): Branch | null {
  if (Array.isArray(value)) {
    // Read through the array (not a copy) so that only the rows being built are touched.
    const items: readonly unknown[] = value;
    return items.length === 0 ? null : { kind: 'array', size: items.length, keyAt: (i) => i, valueAt: (i) => items[i] };
  }
  if (value !== null && typeof value === 'object') {
    // No engine can enumerate an object's keys without collecting them all, so an object
    // shown on screen (even as a collapsed summary that states its size) pays for its own
    // keys once, and the same array then drives the rows when it opens; nothing deeper is read.
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    return keys.length === 0 ? null : { kind: 'object', size: keys.length, keyAt: (i) => keys[i], valueAt: (i) => record[keys[i]] };
  }
  return null;
}

let branchTemplate: HTMLDetailsElement | undefined;

/**
 * Builds, once per page, the `<details>` every array and object node is cloned from. Call
 * it before the data is in hand (`<oauth-fetch>` does when its request starts): Chromium
 * gives the first `<details>` of a document its user-agent shadow root and style sheet,
 * 1–3 ms that would otherwise fall between the data's arrival and its first paint.
 */
export function prepareJsonTree(): HTMLDetailsElement {
  if (!branchTemplate) {
    branchTemplate = createElement('details');
    branchTemplate.append(createElement('summary'));
    branchTemplate.firstChild!.appendChild(createElement('span', { class: 'json-meta' }));
  }
  return branchTemplate;
}

function branchNode(branch: Branch, key: string | number | undefined, open: boolean, chunkSize: number): HTMLDetailsElement {
  const details = prepareJsonTree().cloneNode(true) as HTMLDetailsElement;
  details.className = `json-${branch.kind}`;
  const summary = details.firstChild as HTMLElement;
  const array = branch.kind === 'array';
  summary.firstChild!.textContent = `${array ? '[…]' : '{…}'} ${branch.size} ${array ? 'item' : 'key'}${branch.size === 1 ? '' : 's'}`;
  if (key !== undefined) summary.prepend(keyNode(key), SEPARATOR);
  if (open) {
    details.open = true;
    details.append(childList(branch, summary, chunkSize));
  } else {
    const buildOnFirstOpen = () => {
      if (!details.open) return;
      details.removeEventListener('toggle', buildOnFirstOpen);
      details.append(childList(branch, summary, chunkSize));
    };
    details.addEventListener('toggle', buildOnFirstOpen);
  }
  return details;
}

function childList(branch: Branch, summary: HTMLElement, chunkSize: number): HTMLUListElement {
  const list = createElement('ul');
  let shown = 0;
  let more: HTMLLIElement | null = null;

  const appendChunk = () => {
    const end = Math.min(shown + chunkSize, branch.size);
    const rows = document.createDocumentFragment();
    for (let i = shown; i < end; i++) rows.append(row(branch.keyAt(i), branch.valueAt(i), chunkSize));
    list.insertBefore(rows, more);
    shown = end;
    const remaining = branch.size - shown;
    if (remaining > 0) {
      if (!more) {
        more = createElement('li', { class: 'json-more' });
        const button = createElement('button', { class: 'json-more-button', type: 'button' });
        button.addEventListener('click', appendChunk);
        more.append(button);
        list.append(more);
      }
      more.firstElementChild!.textContent = `Show more (${remaining} more)`;
    } else if (more) {
      // The button disappears with the last chunk; keep keyboard users where they were.
      const hadFocus = more.firstElementChild!.matches(':focus');
      more.remove();
      more = null;
      if (hadFocus) summary.focus();
    }
  };

  appendChunk();
  return list;
}

function row(key: string | number, value: unknown, chunkSize: number): HTMLLIElement {
  const item = createElement('li', { class: 'json-row' });
  const branch = toBranch(value);
  if (branch) item.append(branchNode(branch, key, false, chunkSize));
  else item.append(keyNode(key), SEPARATOR, leafNode(value));
  return item;
}

function keyNode(key: string | number): HTMLSpanElement {
  return typeof key === 'number'
    ? createElement('span', { class: 'json-index' }, String(key))
    : createElement('span', { class: 'json-key' }, JSON.stringify(key));
}

/** A primitive, or an empty array or object. */
function leafNode(value: unknown): HTMLSpanElement {
  const type = typeof value;
  // JSON's own quoting for strings: the quotes are in the text, and escapes keep control characters visible.
  if (type === 'string') return createElement('span', { class: 'json-string' }, JSON.stringify(value));
  if (type === 'number' || type === 'bigint') return createElement('span', { class: 'json-number' }, String(value));
  if (type === 'boolean') return createElement('span', { class: 'json-boolean' }, String(value));
  if (value && type === 'object') return createElement('span', { class: 'json-empty' }, Array.isArray(value) ? '[]' : '{}');
  // null, and what is not JSON (undefined, a function, a symbol): still shown as text rather than dropped.
  return createElement('span', { class: 'json-null' }, String(value));
}
