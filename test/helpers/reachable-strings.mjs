/**
 * Every string reachable from `roots` through own properties (nested objects and arrays
 * included) and Map and Set entries: what any script holding the roots can read. It uses
 * nothing from outside itself, so the end-to-end tests can also run it in a page with
 * `page.evaluate(reachableStrings, ...elementHandles)`.
 */
export function reachableStrings(...roots) {
  const strings = [];
  const seen = new Set();
  const queue = [...roots];
  while (queue.length > 0) {
    const value = queue.shift();
    if (typeof value === 'string') strings.push(value);
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) continue;
    seen.add(value);
    if (value instanceof Map || value instanceof Set) queue.push(...value.keys(), ...value.values());
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor && 'value' in descriptor) queue.push(descriptor.value);
    }
  }
  return strings;
}
