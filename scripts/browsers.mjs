// Where Chromium and Firefox are, for every browser test, the e2e suite and the bench: the
// test tools never download a browser of their own. No dependencies, so that `npm test`
// can look before anything is installed.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * What to look for, in order: an override variable (used as given, never second-guessed),
 * then commands on PATH, then the usual install paths of Linux distributions and macOS.
 */
export const BROWSER_SPECS = {
  chromium: {
    name: 'Chromium',
    variable: 'CHROMIUM_PATH',
    commands: ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'],
    paths: [
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/snap/bin/chromium',
      '/usr/bin/google-chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    ],
    install: { debian: 'chromium', ubuntu: 'chromium-browser', macos: 'brew install --cask chromium' },
  },
  firefox: {
    name: 'Firefox',
    variable: 'FIREFOX_PATH',
    commands: ['firefox-esr', 'firefox'],
    paths: ['/usr/bin/firefox-esr', '/usr/bin/firefox', '/snap/bin/firefox', '/Applications/Firefox.app/Contents/MacOS/firefox'],
    install: { debian: 'firefox-esr', ubuntu: 'firefox', macos: 'brew install --cask firefox' },
  },
};

const isExecutable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * `{ path, overridden }`: the executable found, or `path: null`. An override that names no
 * executable means "this browser is missing": falling back to another one would test a
 * browser the person did not choose.
 */
export function locateBrowser(spec, { env = process.env, exists = isExecutable } = {}) {
  const override = env[spec.variable];
  if (override) return { path: exists(override) ? override : null, overridden: true };
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .flatMap((dir) => spec.commands.map((command) => join(dir, command)));
  return { path: [...onPath, ...spec.paths].find(exists) ?? null, overridden: false };
}

/** The path to launch: what locateBrowser found, else the override or the Debian path, so a launch error names it. */
const launchPath = (spec) => locateBrowser(spec).path ?? process.env[spec.variable] ?? spec.paths[0];

export const CHROMIUM_PATH = launchPath(BROWSER_SPECS.chromium);
export const FIREFOX_PATH = launchPath(BROWSER_SPECS.firefox);

/** Root in a container: no sandbox; the rest keeps Chromium off the closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
