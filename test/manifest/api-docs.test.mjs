// docs/api.md is what scripts/api-docs.mjs writes from custom-elements.json (both written by
// `npm run build`): a change to the elements' API that reaches the manifest but not the
// committed page fails here.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { API_DOCS, MANIFEST, apiDocs } from '../../scripts/api-docs.mjs';

if (!existsSync(MANIFEST)) throw new Error(`${MANIFEST} is missing: run \`npm run build\` first`);
const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));

describe('docs/api.md', () => {
  it('is what custom-elements.json gives (run `npm run build` and commit docs/api.md)', () => {
    assert.ok(existsSync(API_DOCS), `${API_DOCS} is missing`);
    // Line by line, so a stale page fails with the lines that differ rather than the whole page.
    assert.deepEqual(readFileSync(API_DOCS, 'utf8').split('\n'), apiDocs(manifest).split('\n'));
  });

  it('names every attribute, property, method, event, slot, part and custom property of both elements', () => {
    const page = readFileSync(API_DOCS, 'utf8');
    const elements = manifest.modules.flatMap((module) => (module.declarations ?? []).filter((declaration) => declaration.customElement));
    assert.equal(elements.length, 2);
    for (const element of elements) {
      const section = page.slice(page.indexOf(`## \`<${element.tagName}>\``)).split(/\n## /)[0];
      const named = [
        ...element.attributes.map((attribute) => attribute.name),
        ...element.members.map((member) => member.name),
        ...element.events.map((event) => event.name),
        ...element.slots.map((slot) => slot.name),
        ...element.cssParts.map((part) => part.name),
        ...element.cssProperties.map((property) => property.name),
      ];
      assert.ok(named.length > 30, `${element.tagName}: ${named.length} names`);
      for (const name of named) assert.match(section, new RegExp(`\\| \`${name}[\`(]`), `${element.tagName}: ${name} has no row`);
      for (const event of element.events) {
        const detail = /^CustomEvent<(.+)>$/.exec(event.type.text)[1];
        assert.ok(section.includes(`| \`${event.name}\` | \`${detail}\` |`), `${element.tagName}: ${event.name} with its detail ${detail}`);
      }
    }
  });
});
