// docs/api.md, the API reference, written from custom-elements.json: `npm run build` runs it
// after the analyzer, and test/manifest/api-docs.test.mjs fails when the committed page is
// not what the manifest gives. No dependencies: the page is plain Markdown tables.
//
//   node scripts/api-docs.mjs    rewrites docs/api.md from custom-elements.json
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const MANIFEST = 'custom-elements.json';
export const API_DOCS = 'docs/api.md';

/**
 * Manifest text as Markdown: `{@link X}` becomes `X` in code, and outside code spans `<`
 * is escaped, so a tag name written without backticks shows instead of becoming HTML.
 */
const prose = (text = '') =>
  text
    .replace(/\{@link\s+([^}\s]+)\s*\}/g, '`$1`')
    .split(/(`[^`]*`)/)
    .map((part, index) => (index % 2 ? part : part.replaceAll('<', '&lt;')))
    .join('');

/** One table cell: on one line, and a `|` (union types) escaped, which GitHub also needs inside code. */
const cell = (text) =>
  prose(text)
    .replace(/\n\s*\n/g, '<br><br>')
    .replace(/\s*\n\s*/g, ' ')
    .replaceAll('|', '\\|');
const code = (text) => (text ? `\`${text.replace(/\s*\n\s*/g, ' ').replaceAll('|', '\\|')}\`` : '');

function table(headings, rows) {
  if (rows.length === 0) return [];
  return [`| ${headings.join(' | ')} |`, `|${headings.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`), ''];
}

const section = (title, headings, rows) => (rows.length ? [`### ${title}`, '', ...table(headings, rows)] : []);

const parameters = (method) =>
  (method.parameters ?? [])
    .map(
      (parameter) =>
        `${parameter.name}${parameter.optional || parameter.default !== undefined ? '?' : ''}: ${parameter.type?.text ?? 'unknown'}`,
    )
    .join(', ');

/** `CustomEvent<TokenDetail>` → `TokenDetail`; another event type as it is. */
const detailType = (event) => /^CustomEvent<(.+)>$/s.exec(event.type?.text ?? '')?.[1] ?? event.type?.text ?? '';

function element(declaration, module, definedIn) {
  const attributes = new Map((declaration.attributes ?? []).map((attribute) => [attribute.fieldName, attribute]));
  const members = declaration.members ?? [];
  const fields = members.filter((member) => member.kind === 'field' && !member.static);
  const methods = members.filter((member) => member.kind === 'method' && !member.static);
  // An attribute without a field of its own (none today) still gets its row.
  const unmatched = [...attributes.values()].filter((attribute) => !fields.some((field) => field.name === attribute.fieldName));
  return [
    `## \`<${declaration.tagName}>\``,
    '',
    `**${prose(declaration.summary)}**`,
    '',
    prose(declaration.description),
    '',
    `Class \`${declaration.name}\` (\`${module.path}\`)${definedIn ? `, registered by \`${definedIn}\`` : ''}.`,
    '',
    ...section(
      'Attributes and properties',
      ['property', 'attribute', 'type', 'default', 'description'],
      [
        ...fields.map((field) => {
          const attribute = attributes.get(field.name);
          return [
            `\`${field.name}\`${field.readonly ? ' (read-only)' : ''}`,
            attribute ? `\`${attribute.name}\`` : '',
            code(field.type?.text),
            code(field.default ?? attribute?.default),
            cell(field.description ?? attribute?.description),
          ];
        }),
        ...unmatched.map((attribute) => [
          '',
          `\`${attribute.name}\``,
          code(attribute.type?.text),
          code(attribute.default),
          cell(attribute.description),
        ]),
      ],
    ),
    ...section(
      'Methods',
      ['method', 'returns', 'description'],
      methods.map((method) => [
        `\`${method.name}(${parameters(method).replaceAll('|', '\\|')})\``,
        code(method.return?.type?.text),
        cell(method.description),
      ]),
    ),
    ...section(
      'Events',
      ['event', 'detail', 'description'],
      (declaration.events ?? []).map((event) => [`\`${event.name}\``, code(detailType(event)), cell(event.description)]),
    ),
    ...section(
      'Slots',
      ['slot', 'description'],
      (declaration.slots ?? []).map((slot) => [slot.name ? `\`${slot.name}\`` : '(default)', cell(slot.description)]),
    ),
    ...section(
      'CSS parts',
      ['part', 'description'],
      (declaration.cssParts ?? []).map((part) => [`\`${part.name}\``, cell(part.description)]),
    ),
    ...section(
      'CSS custom properties',
      ['property', 'default', 'description'],
      (declaration.cssProperties ?? []).map((property) => [`\`${property.name}\``, code(property.default), cell(property.description)]),
    ),
  ];
}

/** The whole page for a parsed custom-elements.json. */
export function apiDocs(manifest) {
  const definitions = new Map(
    manifest.modules.flatMap((module) =>
      (module.exports ?? [])
        .filter((exported) => exported.kind === 'custom-element-definition')
        .map((exported) => [exported.name, module.path]),
    ),
  );
  const elements = manifest.modules
    .flatMap((module) =>
      (module.declarations ?? []).filter((declaration) => declaration.customElement).map((declaration) => ({ declaration, module })),
    )
    .sort((a, b) => a.declaration.tagName.localeCompare(b.declaration.tagName));
  const lines = [
    '<!-- Written by scripts/api-docs.mjs from custom-elements.json (npm run build): do not edit. -->',
    '',
    '# API reference',
    '',
    'Every attribute, property, method, event, slot, CSS part and CSS custom property of the two',
    'elements, as `custom-elements.json` (in the package) describes them. Event details and the',
    'other types are exported by `oauth-elements`; [the README](../README.md) and',
    '[frameworks.md](frameworks.md) show them in use.',
    '',
    ...elements.map(({ declaration }) => `- [\`<${declaration.tagName}>\`](#${declaration.tagName})`),
    '',
    ...elements.flatMap(({ declaration, module }) => element(declaration, module, definitions.get(declaration.tagName))),
  ];
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

export function writeApiDocs() {
  writeFileSync(API_DOCS, apiDocs(JSON.parse(readFileSync(MANIFEST, 'utf8'))));
}

// As a script, not when imported.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) writeApiDocs();
