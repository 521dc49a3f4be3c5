// custom-elements.json (written by `npm run build`) describes everything the contract
// (DESIGN.md §1) promises, so editors, docs and framework tooling see the whole API.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const MANIFEST = 'custom-elements.json';
if (!existsSync(MANIFEST)) throw new Error(`${MANIFEST} is missing: run \`npm run build\` first`);
const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
const packageJson = JSON.parse(readFileSync('package.json', 'utf8'));

const CONTRACT = {
  'oauth-login': {
    className: 'OAuthLoginElement',
    // attribute → [property, default as the manifest writes it (null: none), type text it must mention]
    attributes: {
      'authorize-url': ['authorizeUrl', 'null', 'string'],
      'client-id': ['clientId', 'null', 'string'],
      'redirect-uri': ['redirectUri', 'null', 'string'],
      scope: ['scope', 'null', 'string'],
      'response-type': ['responseType', "'token'", "'code'"],
      'token-url': ['tokenUrl', 'null', 'string'],
      issuer: ['issuer', 'null', 'string'],
      storage: ['storage', "'memory'", "'local'"],
      mode: ['mode', "'redirect'", "'popup'"],
      status: ['status', "'signed-out'", "'signed-in'"],
    },
    readonlyProperties: { token: 'TokenDetail | null', signedIn: 'boolean' },
    properties: {},
    methods: ['signIn', 'signOut'],
    events: { token: 'TokenDetail', signout: 'SignOutDetail', 'oauth-error': 'OAuthErrorDetail' },
    slots: ['sign-in', 'sign-out'],
    parts: ['button', 'error'],
    cssProperties: [
      '--oauth-login-font',
      '--oauth-login-padding',
      '--oauth-login-border',
      '--oauth-login-border-radius',
      '--oauth-login-background',
      '--oauth-login-color',
      '--oauth-login-signed-in-background',
      '--oauth-login-signed-in-color',
      '--oauth-login-signed-in-border-color',
      '--oauth-login-focus-ring',
      '--oauth-login-error-color',
    ],
  },
  'oauth-fetch': {
    className: 'OAuthFetchElement',
    attributes: {
      src: ['src', 'null', 'string'],
      for: ['for', 'null', 'string'],
      pointer: ['pointer', "''", 'string'],
      status: ['status', "'idle'", 'FetchStatus'],
    },
    readonlyProperties: {},
    properties: { token: 'string | null', renderData: 'RenderData | null' },
    methods: ['reload'],
    events: { response: 'ResponseDetail', 'oauth-error': 'OAuthErrorDetail' },
    slots: ['idle', 'loading', 'error'],
    parts: ['status', 'view'],
    cssProperties: [
      '--oauth-fetch-font-family',
      '--oauth-fetch-font-size',
      '--oauth-fetch-indent',
      '--oauth-fetch-key-color',
      '--oauth-fetch-index-color',
      '--oauth-fetch-string-color',
      '--oauth-fetch-number-color',
      '--oauth-fetch-boolean-color',
      '--oauth-fetch-null-color',
      '--oauth-fetch-meta-color',
      '--oauth-fetch-focus-color',
      '--oauth-fetch-status-color',
      '--oauth-fetch-error-color',
    ],
  },
};

const elements = manifest.modules.flatMap((module) =>
  (module.declarations ?? []).filter((declaration) => declaration.customElement).map((declaration) => ({ module, declaration })),
);
const names = (list) => (list ?? []).map((item) => item.name);

describe('custom-elements.json', () => {
  it('is a schema 1.x manifest', () => {
    assert.match(manifest.schemaVersion, /^1\./);
  });

  it('is what package.json points at, so tools find it in the installed package', () => {
    assert.equal(packageJson.customElements, MANIFEST, 'package.json needs "customElements": "custom-elements.json"');
    if (packageJson.files) assert.ok(packageJson.files.includes(MANIFEST), 'package.json "files" must include custom-elements.json');
  });

  it('describes exactly the two elements, each in a module that the build writes to dist/', () => {
    assert.deepEqual(elements.map(({ declaration }) => declaration.tagName).sort(), ['oauth-fetch', 'oauth-login']);
    for (const { module } of elements) assert.ok(existsSync(module.path), `${module.path} does not exist`);
  });

  it('names define.js as the module that registers both tags', () => {
    const definitions = manifest.modules.flatMap((module) =>
      (module.exports ?? []).filter((exported) => exported.kind === 'custom-element-definition').map((exported) => ({ module, exported })),
    );
    assert.deepEqual(definitions.map(({ exported }) => exported.name).sort(), ['oauth-fetch', 'oauth-login']);
    for (const { module, exported } of definitions) {
      assert.equal(module.path, 'dist/define.js');
      const target = elements.find(({ declaration }) => declaration.tagName === exported.name);
      assert.deepEqual(exported.declaration, { name: target.declaration.name, module: target.module.path });
    }
  });

  for (const [tag, contract] of Object.entries(CONTRACT)) {
    describe(`<${tag}>`, () => {
      const element = () => {
        const found = elements.find(({ declaration }) => declaration.tagName === tag);
        assert.ok(found, `no custom element with tagName ${tag}`);
        return found.declaration;
      };

      it(`is the class ${contract.className}, with a summary and a description`, () => {
        assert.equal(element().name, contract.className);
        assert.ok(element().summary, 'summary');
        assert.ok(element().description, 'description');
      });

      it('has every attribute, with its property name, type and default', () => {
        for (const [name, [property, defaultValue, typeMention]] of Object.entries(contract.attributes)) {
          const attribute = element().attributes?.find((candidate) => candidate.name === name);
          assert.ok(attribute, `attribute ${name} is missing`);
          assert.equal(attribute.fieldName, property, `attribute ${name} → property`);
          assert.ok(
            attribute.type?.text.includes(typeMention),
            `attribute ${name}: type ${attribute.type?.text} should mention ${typeMention}`,
          );
          assert.equal(attribute.default, defaultValue, `attribute ${name}: default`);
          assert.ok(attribute.description, `attribute ${name}: description`);
          const field = element().members.find((member) => member.name === property);
          assert.equal(field?.attribute, name, `property ${property} ↔ attribute ${name}`);
        }
      });

      it('has every public property and method', () => {
        const members = element().members;
        for (const [name, type] of Object.entries(contract.readonlyProperties)) {
          const field = members.find((member) => member.name === name);
          assert.ok(field, `property ${name} is missing`);
          assert.equal(field.type?.text, type, `property ${name}: type`);
          assert.equal(field.readonly, true, `property ${name} is read-only`);
          assert.equal(field.attribute, undefined, `property ${name} has no attribute`);
        }
        for (const [name, type] of Object.entries(contract.properties)) {
          const field = members.find((member) => member.name === name);
          assert.ok(field, `property ${name} is missing`);
          assert.equal(field.type?.text, type, `property ${name}: type`);
          assert.notEqual(field.readonly, true, `property ${name} is writable`);
          assert.equal(field.attribute, undefined, `property ${name} is never reflected to an attribute`);
        }
        for (const name of contract.methods) {
          const method = members.find((member) => member.name === name && member.kind === 'method');
          assert.ok(method, `method ${name} is missing`);
          assert.notEqual(method.privacy, 'private');
          assert.ok(method.description, `method ${name}: description`);
        }
      });

      it('has every event, with its detail type', () => {
        for (const [name, detail] of Object.entries(contract.events)) {
          const event = element().events?.find((candidate) => candidate.name === name);
          assert.ok(event, `event ${name} is missing`);
          assert.equal(event.type?.text, `CustomEvent<${detail}>`, `event ${name}: type`);
          assert.ok(event.description, `event ${name}: description`);
        }
        assert.deepEqual(names(element().events).sort(), Object.keys(contract.events).sort(), 'no undocumented events');
      });

      it('describes each event with its own @fires text and nothing else (no paragraph that follows the tag)', () => {
        const { module } = elements.find(({ declaration }) => declaration.tagName === tag);
        const source = readFileSync(module.path.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts'), 'utf8');
        const fires = Object.fromEntries(
          [...source.matchAll(/^\s*\* @fires (?:\{[^}]*\} )?([\w-]+) - (.+)$/gm)].map(([, name, text]) => [name, text]),
        );
        assert.deepEqual(
          Object.keys(fires).sort(),
          Object.keys(contract.events).sort(),
          `one single-line @fires per event in ${module.path}`,
        );
        for (const event of element().events) assert.equal(event.description, fires[event.name], `event ${event.name}: description`);
      });

      it('has every slot and part, described', () => {
        assert.deepEqual(names(element().slots).sort(), [...contract.slots].sort());
        assert.deepEqual(names(element().cssParts).sort(), [...contract.parts].sort());
        for (const item of [...element().slots, ...element().cssParts]) assert.ok(item.description, `${item.name}: description`);
      });

      it('has every CSS custom property, prefixed with the tag and described', () => {
        assert.deepEqual(names(element().cssProperties).sort(), [...contract.cssProperties].sort());
        for (const cssProperty of element().cssProperties) {
          assert.ok(cssProperty.name.startsWith(`--${tag}-`), cssProperty.name);
          assert.ok(cssProperty.description, `${cssProperty.name}: description`);
        }
      });
    });
  }

  it('documents every custom property that the styles read', () => {
    const documented = new Set(elements.flatMap(({ declaration }) => names(declaration.cssProperties)));
    const used = new Set();
    const walk = (dir) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts'))
          for (const [, name] of readFileSync(path, 'utf8').matchAll(/var\(\s*(--oauth-[\w-]+)/g)) used.add(name);
      }
    };
    walk('src');
    assert.ok(used.size > 0);
    assert.deepEqual(
      [...used].filter((name) => !documented.has(name)),
      [],
      'used in src/ but not in the manifest',
    );
  });
});
