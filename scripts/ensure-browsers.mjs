// Before `npm test` runs a suite that needs Chromium and Firefox: find both, install the
// missing ones with apt-get when that is safe to do unasked (root on Debian or Ubuntu, as in
// CI and containers), or stop with one message that says what to install.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BROWSER_SPECS, locateBrowser } from './browsers.mjs';

/** `debian`, `ubuntu`, `macos` or null: which install advice applies here. */
function system() {
  if (process.platform === 'darwin') return 'macos';
  if (process.platform !== 'linux') return null;
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    const field = (name) => new RegExp(`^${name}="?([^"\\n]*)`, 'm').exec(release)?.[1] ?? '';
    const ids = `${field('ID')} ${field('ID_LIKE')}`.split(/\s+/);
    if (ids.includes('ubuntu')) return 'ubuntu';
    if (ids.includes('debian')) return 'debian';
  } catch {
    // no os-release: no distribution-specific advice
  }
  return null;
}

function installCommand(specs, where) {
  if (where === 'macos') return specs.map((spec) => spec.install.macos).join(' && ');
  if (where === 'debian' || where === 'ubuntu') return `sudo apt-get install ${specs.map((spec) => spec.install[where]).join(' ')}`;
  return null;
}

function aptGetInstall(packages) {
  console.log(`Installing ${packages.join(' and ')} with apt-get (root on a Debian-like system)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  if (update.status === 0) spawnSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: ['ignore', 'ignore', 'inherit'], env });
}

/**
 * Returns the environment (CHROMIUM_PATH, FIREFOX_PATH) under which the test tools find
 * both browsers, or null after printing why they cannot. A browser named by its override
 * variable is never installed over: the override says which executable to test.
 */
export function ensureBrowsers() {
  const where = system();
  const locate = () => Object.values(BROWSER_SPECS).map((spec) => ({ spec, ...locateBrowser(spec) }));
  let found = locate();
  const installable = found.filter(({ path, overridden }) => !path && !overridden).map(({ spec }) => spec);
  if (installable.length > 0 && process.getuid?.() === 0 && (where === 'debian' || where === 'ubuntu')) {
    aptGetInstall(installable.map((spec) => spec.install[where]));
    found = locate();
  }

  const missing = found.filter(({ path }) => !path);
  if (missing.length === 0) return Object.fromEntries(found.map(({ spec, path }) => [spec.variable, path]));

  const reasons = missing.map(({ spec, overridden }) =>
    overridden ? `${spec.name} is not at ${spec.variable}=${process.env[spec.variable]}` : `${spec.name} is not installed`,
  );
  const overridden = missing.filter((entry) => entry.overridden).map(({ spec }) => spec.variable);
  const absent = missing.filter((entry) => !entry.overridden).map(({ spec }) => spec);
  const command = installCommand(absent, where);
  const fixes = [
    ...(absent.length
      ? [command ? `install it with \`${command}\`` : `install it or set ${absent.map((spec) => spec.variable).join(' / ')}`]
      : []),
    ...(overridden.length ? [`point ${overridden.join(' / ')} at the executable, or unset it to use an installed one`] : []),
  ];
  console.error(`${reasons.join(' and ')}, and the browser tests need both Chromium and Firefox: ${fixes.join('; ')}. No test ran.`);
  return null;
}
