/**
 * Builds an element with attributes and children. The two elements render a handful of
 * nodes that they then update by hand, so they use lit's ReactiveElement (properties,
 * attributes, update batching, adopted styles) without lit-html's template engine, which
 * would be a quarter of the bundle. Children are appended as nodes or as text, never parsed
 * as HTML.
 */
export function createElement<Tag extends keyof HTMLElementTagNameMap>(
  tag: Tag,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[Tag] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}
