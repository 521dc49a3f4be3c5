// Installs the npm packages when node_modules is missing or older than package-lock.json, so
// that a fresh clone, or a pull that changed the lockfile, needs no separate step. Run as
// `npm start`'s pre-script and called by scripts/test.mjs (after its browser check). No
// dependencies: nothing is installed yet.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const modifiedAt = (path) => statSync(join(repo, path), { throwIfNoEntry: false })?.mtimeMs;

/** Runs `npm ci` when needed; false (after saying so) when it failed. */
export function ensurePackages() {
  // npm writes node_modules/.package-lock.json after package-lock.json on every install: its age is the install's.
  const lockfile = modifiedAt('package-lock.json');
  const installed = modifiedAt('node_modules/.package-lock.json');
  if (installed !== undefined && (lockfile === undefined || installed >= lockfile)) return true;
  console.log(
    installed === undefined
      ? 'node_modules is missing: npm ci (once; later runs skip this)'
      : 'package-lock.json is newer than node_modules: npm ci',
  );
  const { status } = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: repo, stdio: 'inherit' });
  if (status === 0) return true;
  console.error('npm ci failed (see above); `npm start` and `npm test` need the packages it installs.');
  return false;
}

// As a script (npm start's pre-script), not when imported.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && !ensurePackages()) process.exit(1);
