// Where npm test looks for Chromium and Firefox (scripts/browsers.mjs), with a fake file system.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BROWSER_SPECS, locateBrowser } from '../../scripts/browsers.mjs';

const only =
  (...paths) =>
  (path) =>
    paths.includes(path);

describe('locating the test browsers', () => {
  it('uses the override variable as given', () => {
    const env = { CHROMIUM_PATH: '/opt/chrome/chrome', PATH: '/usr/bin' };
    assert.deepEqual(locateBrowser(BROWSER_SPECS.chromium, { env, exists: only('/opt/chrome/chrome', '/usr/bin/chromium') }), {
      path: '/opt/chrome/chrome',
      overridden: true,
    });
  });

  it('treats an override that names no executable as a missing browser, with no fallback', () => {
    const env = { CHROMIUM_PATH: '/nonexistent', PATH: '/usr/bin' };
    assert.deepEqual(locateBrowser(BROWSER_SPECS.chromium, { env, exists: only('/usr/bin/chromium') }), { path: null, overridden: true });
  });

  it('prefers a command on PATH, then the usual install paths', () => {
    const env = { PATH: '/home/me/bin:/usr/bin' };
    const exists = only('/usr/bin/firefox', '/home/me/bin/firefox-esr', '/Applications/Firefox.app/Contents/MacOS/firefox');
    assert.equal(locateBrowser(BROWSER_SPECS.firefox, { env, exists }).path, '/home/me/bin/firefox-esr');
    assert.equal(
      locateBrowser(BROWSER_SPECS.firefox, { env: { PATH: '' }, exists: only('/Applications/Firefox.app/Contents/MacOS/firefox') }).path,
      '/Applications/Firefox.app/Contents/MacOS/firefox',
    );
  });

  it('finds Debian, Ubuntu and macOS installs', () => {
    for (const [spec, path] of [
      [BROWSER_SPECS.chromium, '/usr/bin/chromium'],
      [BROWSER_SPECS.chromium, '/usr/bin/chromium-browser'],
      [BROWSER_SPECS.chromium, '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
      [BROWSER_SPECS.firefox, '/usr/bin/firefox-esr'],
      [BROWSER_SPECS.firefox, '/snap/bin/firefox'],
    ]) {
      assert.equal(locateBrowser(spec, { env: {}, exists: only(path) }).path, path);
    }
  });

  it('reports a browser that is nowhere as missing, not overridden', () => {
    assert.deepEqual(locateBrowser(BROWSER_SPECS.firefox, { env: { PATH: '/usr/bin' }, exists: () => false }), {
      path: null,
      overridden: false,
    });
  });
});
