// npm start: builds the bundle, then serves the demo at http://localhost:8000/ and the local
// authorization server + API at http://127.0.0.1:9000, in this one process (Ctrl-C stops both).
import { execFileSync } from 'node:child_process';
import { startAuthServer } from '../dev-server/auth-server.mjs';
import { startStaticServer } from './static-server.mjs';

const started = performance.now();
execFileSync('node', ['scripts/build.mjs'], { stdio: 'inherit' });

const DEMO_PORT = 8000;
const AUTH_URL = 'http://127.0.0.1:9000';

// The demo page follows its own advice: a strict Content-Security-Policy, no inline script.
const demoCsp = [
  "default-src 'self'",
  `connect-src 'self' ${AUTH_URL}`,
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const auth = await startAuthServer({ port: 9000 });
const demo = await startStaticServer({
  port: DEMO_PORT,
  mounts: { '/': 'demo', '/dist': 'dist' },
  headers: (path) =>
    path.endsWith('/') || path.endsWith('.html') ? { 'Content-Security-Policy': demoCsp, 'Referrer-Policy': 'no-referrer' } : {},
});

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
