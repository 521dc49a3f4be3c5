// The package as npm publishes it: packed from the tree a clean clone has (no dist/, so
// `prepack` must build), then linted (publint --strict, @arethetypeswrong/cli) and
// installed into a throwaway consumer that bundles it with esbuild and type-checks it.
// Offline: the consumer's dependencies are linked from this project's node_modules.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../..');
const bin = (name) => join(ROOT, 'node_modules/.bin', name);
const T = { timeout: 120_000 };

let work;
let tarball;
/** Paths inside the tarball, without its `package/` prefix. */
let packed;
let unpacked;

const run = (command, args, cwd) => {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}${result.error ?? ''}` };
};

before(() => {
  work = mkdtempSync(join(tmpdir(), 'oauth-elements-package-'));
  // The files a clone has: tracked ones and new ones not ignored (so uncommitted work is
  // what gets tested), never dist/ or anything else .gitignore leaves out.
  const source = join(work, 'source');
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file && existsSync(join(ROOT, file)));
  for (const file of files) {
    mkdirSync(dirname(join(source, file)), { recursive: true });
    cpSync(join(ROOT, file), join(source, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(source, 'node_modules'), 'dir');
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: source, encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop();
  tarball = join(work, name);
  unpacked = join(work, 'unpacked');
  mkdirSync(unpacked);
  execFileSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
  packed = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((path) => path.replace(/^package\//, ''));
});
after(() => work && rmSync(work, { recursive: true, force: true }));

describe('npm pack from a clean tree', () => {
  it('builds before packing: the tarball holds both bundles, the manifest and the types', () => {
    for (const file of [
      'dist/oauth-elements.js',
      'dist/oauth-elements.iife.js',
      'dist/index.d.ts',
      'custom-elements.json',
      'README.md',
      'LICENSE',
    ]) {
      assert.ok(packed.includes(file), `${file} is in the tarball`);
    }
  });

  it('holds no tests, demo, dev server or scripts', () => {
    assert.deepEqual(
      packed.filter((path) => /^(test|demo|dev-server|scripts|bench|\.ci|node_modules)\//.test(path)),
      [],
    );
  });

  it('every export, with its types, and every package.json pointer names a file in the tarball', () => {
    const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'));
    const targets = Object.entries(manifest.exports).flatMap(([entry, target]) =>
      typeof target === 'string' ? [[entry, target]] : Object.values(target).map((path) => [entry, path]),
    );
    for (const field of ['main', 'module', 'types', 'unpkg', 'jsdelivr', 'customElements']) targets.push([field, manifest[field]]);
    for (const [entry, path] of targets) assert.ok(packed.includes(posix.normalize(path)), `${entry}: ${path} is in the tarball`);
    for (const [entry, target] of Object.entries(manifest.exports)) {
      if (/\.(js|ts)$/.test(entry) || !entry.endsWith('.json')) assert.equal(typeof target.types, 'string', `${entry} has types`);
    }
    assert.equal(manifest.unpkg, './dist/oauth-elements.js');
    assert.match(manifest.repository.url, /^git\+https:\/\/github\.com\//);
  });

  it('every source map resolves: its sources are in the tarball or carried in sourcesContent', () => {
    const maps = packed.filter((path) => path.endsWith('.map'));
    assert.ok(maps.length > 10);
    const unresolved = [];
    for (const map of maps) {
      const { sources, sourcesContent = [] } = JSON.parse(readFileSync(join(unpacked, map), 'utf8'));
      sources.forEach((source, index) => {
        const path = posix.normalize(posix.join(posix.dirname(map), source));
        if (!packed.includes(path) && typeof sourcesContent[index] !== 'string') unresolved.push(`${map} → ${source}`);
      });
    }
    assert.deepEqual(unresolved, []);
  });

  it('passes publint --strict', T, () => {
    const publint = run(bin('publint'), ['run', '--strict', tarball], work);
    assert.equal(publint.status, 0, publint.output);
    assert.match(publint.output, /All good/);
  });

  // ESM only, as the package is (`require` of it works from Node 20.19 as require(esm)):
  // the profile checks node16 from ESM and bundler resolution. No @types lookup, so offline.
  it('passes @arethetypeswrong/cli (esm-only profile): every entry resolves to its types', T, () => {
    const attw = run(
      bin('attw'),
      ['--profile', 'esm-only', '--no-definitely-typed', '--no-color', '--no-emoji', '--format', 'table-flipped', tarball],
      work,
    );
    assert.equal(attw.status, 0, attw.output);
    assert.match(attw.output, /oauth-elements\/oauth-elements\.js/);
  });
});

const CONSUMER_MAIN = `import 'oauth-elements/define';
import { OAuthFetchElement, OAuthLoginElement, type TokenDetail } from 'oauth-elements';
import { OAuthError } from 'oauth-elements/core';

const login: OAuthLoginElement = document.createElement('oauth-login');
const data: OAuthFetchElement = document.createElement('oauth-fetch');
login.addEventListener('token', (event) => {
  const detail: TokenDetail = event.detail;
  data.token = detail.accessToken;
});
login.addEventListener('oauth-error', (event) => console.info(event.detail.error, event.detail.description ?? ''));
login.signIn().catch((error: unknown) => {
  if (error instanceof OAuthError) console.info(error.detail.error);
});
document.body.append(login, data);
`;

describe('a consumer that installs the tarball', () => {
  let consumer;
  before(() => {
    consumer = join(work, 'consumer');
    const modules = join(consumer, 'node_modules');
    mkdirSync(join(modules, '@lit'), { recursive: true });
    cpSync(unpacked, join(modules, 'oauth-elements'), { recursive: true });
    for (const name of readdirSync(join(ROOT, 'node_modules/@lit')))
      symlinkSync(join(ROOT, 'node_modules/@lit', name), join(modules, '@lit', name), 'dir');
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    writeFileSync(join(consumer, 'main.ts'), CONSUMER_MAIN);
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2022',
          module: 'es2022',
          moduleResolution: 'bundler',
          lib: ['es2022', 'dom'],
          strict: true,
          noEmit: true,
          types: [],
        },
        include: ['main.ts'],
      }),
    );
  });

  it('bundles it with esbuild, the elements registered from the package’s dist/', T, () => {
    const build = run(
      bin('esbuild'),
      ['main.ts', '--bundle', '--format=esm', '--outfile=out.js', '--metafile=meta.json', '--log-level=warning'],
      consumer,
    );
    assert.equal(build.status, 0, build.output);
    const inputs = Object.keys(JSON.parse(readFileSync(join(consumer, 'meta.json'), 'utf8')).inputs);
    assert.ok(inputs.includes('node_modules/oauth-elements/dist/define.js'), inputs.join('\n'));
    const out = readFileSync(join(consumer, 'out.js'), 'utf8');
    assert.match(out, /"oauth-login"/);
    assert.match(out, /customElements\.define/);
  });

  it('type-checks it (strict, moduleResolution bundler), with the typed events', T, () => {
    const tsc = run(bin('tsc'), ['-p', 'tsconfig.json', '--pretty', 'false'], consumer);
    assert.equal(tsc.status, 0, tsc.output);
  });
});
