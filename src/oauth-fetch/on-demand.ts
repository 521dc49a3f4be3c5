import { adoptStyles, supportsAdoptingStyleSheets } from '@lit/reactive-element';
import type { Effects } from '../core/effects.js';
import { loadResourceRequest, onDemand } from '../core/on-demand.js';
import type { AuthorizedFetch, ResourceResponse } from '../core/resource-request.js';

// The parts of <oauth-fetch> that a page loads only once it has data to request.

/**
 * The JSON tree and its styles, a chunk of the script-tag bundle. `<oauth-fetch>` fetches it
 * when its first request starts, while the data travels, so a signed-out page does not load
 * it, nor one that renders its data itself (`renderData`).
 */
export const loadJsonTree = onDemand(() => import('./json-tree.js'));

const styledRoots = new WeakSet<ShadowRoot>();

/**
 * The tree of `data`, with the tree's styles added to `root`'s own on first use (lit's
 * `adoptStyles` would replace a root's adopted sheets; it only appends where there are none,
 * a `<style>` each). Null while the chunk is not here yet, which `<oauth-fetch>` meets only
 * when `renderData` is taken away from data already shown: it is loaded, then `loaded` runs
 * (with the error, if it could not be).
 */
export function jsonTreeIn(root: ShadowRoot, data: unknown, loaded: (error?: unknown) => void): HTMLElement | null {
  const tree = loadJsonTree.loaded;
  if (!tree) {
    loadJsonTree().then(() => loaded(), loaded);
    return null;
  }
  if (!styledRoots.has(root)) {
    styledRoots.add(root);
    if (supportsAdoptingStyleSheets) root.adoptedStyleSheets = [...root.adoptedStyleSheets, tree.jsonTreeStyles.styleSheet!];
    else adoptStyles(root, [tree.jsonTreeStyles]);
  }
  return tree.renderJsonTree(data);
}

/**
 * GETs `src` through `send` (core's requestResource) with the parts it needs, fetched with the
 * first request: the request itself and, `withTree`, the JSON tree, with the setup the tree's
 * first paint would otherwise pay after the data arrives.
 */
export async function loadResource(
  effects: Effects,
  src: string,
  send: AuthorizedFetch,
  signal: AbortSignal,
  timeLimitMs: number | undefined,
  withTree: boolean,
): Promise<ResourceResponse> {
  const [response] = await Promise.all([
    loadResourceRequest().then((part) => part.requestResource(effects, src, send, signal, timeLimitMs)),
    withTree ? loadJsonTree().then((tree) => tree.prepareJsonTree()) : undefined,
  ]);
  return response;
}
