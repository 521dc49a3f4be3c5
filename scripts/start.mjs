// npm start: serves the demo at http://localhost:8000/ and the local authorization server +
// API at http://127.0.0.1:9000, builds the bundle, in this one process (Ctrl-C stops both).
//
//   npm start -- --port 8080 --auth-port 9090    or    PORT=8080 AUTH_PORT=9090 npm start
//
// Port 0 picks a free port (the tests do that); the printed lines say which.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startAuthServer } from '../dev-server/auth-server.mjs';
import { demoClients } from '../dev-server/clients.mjs';
import { startStaticServer } from './static-server.mjs';

const started = performance.now();

function port(value, flag, variable) {
  const number = Number(value);
  if (value === '' || !Number.isInteger(number) || number < 0 || number > 65535) {
    console.error(`${flag} (or ${variable}) must be a port number from 0 to 65535, got "${value}"`);
    process.exit(2);
  }
  return number;
}

let options;
try {
  options = parseArgs({ options: { port: { type: 'string' }, 'auth-port': { type: 'string' } } }).values;
} catch (error) {
  console.error(`${error.message}\nUsage: npm start -- [--port 8000] [--auth-port 9000]`);
  process.exit(2);
}
const demoPort = port(options.port ?? process.env.PORT ?? '8000', '--port', 'PORT');
const authPort = port(options['auth-port'] ?? process.env.AUTH_PORT ?? '9000', '--auth-port', 'AUTH_PORT');

/** Starts a server; a busy port ends the process with one line that says how to pick another. */
async function listenOrExplain(start, { port: wanted, flag, variable }) {
  try {
    return await start();
  } catch (error) {
    if (error.code !== 'EADDRINUSE' && error.code !== 'EACCES') throw error;
    const why = error.code === 'EADDRINUSE' ? 'is in use (another npm start?)' : 'needs privileges this process lacks';
    const other = wanted >= 1024 && wanted < 65535 ? wanted + 1 : flag === '--port' ? 8000 : 9000;
    console.error(`Port ${wanted} ${why}: pick another with \`npm start -- ${flag} ${other}\` or ${variable}=${other}.`);
    process.exit(1);
  }
}

// The page learns where the authorization server is from /config/config.js: its port is
// only known once the server listens.
const configDir = mkdtempSync(join(tmpdir(), 'oauth-elements-demo-'));
process.once('exit', () => rmSync(configDir, { recursive: true, force: true }));
let authUrl;

// The demo page follows its own advice: a strict Content-Security-Policy, no inline script.
const demoCsp = () =>
  [
    "default-src 'self'",
    `connect-src 'self' ${authUrl}`,
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

// The demo listens first: the authorization server must know the redirect URIs on its port.
const demo = await listenOrExplain(
  () =>
    startStaticServer({
      port: demoPort,
      mounts: { '/': 'demo', '/dist': 'dist', '/config': configDir },
      headers: (path) =>
        path.endsWith('/') || path.endsWith('.html') ? { 'Content-Security-Policy': demoCsp(), 'Referrer-Policy': 'no-referrer' } : {},
    }),
  { port: demoPort, flag: '--port', variable: 'PORT' },
);
// Two-minute tokens, so that the event log shows a renewal a minute after signing in.
const tokenLifetimeSeconds = Number(process.env.TOKEN_LIFETIME ?? '120');
if (!Number.isInteger(tokenLifetimeSeconds) || tokenLifetimeSeconds < 2) {
  console.error(`TOKEN_LIFETIME must be a whole number of seconds, at least 2, got "${process.env.TOKEN_LIFETIME}"`);
  process.exit(2);
}
const auth = await listenOrExplain(() => startAuthServer({ port: authPort, clients: demoClients(demo.port), tokenLifetimeSeconds }), {
  port: authPort,
  flag: '--auth-port',
  variable: 'AUTH_PORT',
});
authUrl = auth.url;
writeFileSync(join(configDir, 'config.js'), `export default ${JSON.stringify({ authServer: auth.url })};\n`);

// After listening, so that a busy port is reported at once, not after the build.
try {
  execFileSync('node', ['scripts/build.mjs'], { stdio: 'inherit' });
} catch {
  console.error('The build failed (see above), so the demo has no bundle to load.');
  process.exit(1);
}

console.log(`
  oauth-elements demo is ready in ${((performance.now() - started) / 1000).toFixed(1)} s

  Open   http://localhost:${demo.port}/
  Sign in as  demo / demo   (authorization server: ${auth.url})

  Ctrl-C stops everything.
`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    await Promise.all([auth.close(), demo.close()]);
    process.exit(0);
  });
}
