import { parseArgs } from 'node:util';
import { startAuthServer } from './auth-server.mjs';

const { values } = parseArgs({ options: { port: { type: 'string', default: '9000' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got ${values.port}`);
  process.exit(2);
}

const server = await startAuthServer({ port }).catch((error) => {
  if (error.code !== 'EADDRINUSE') throw error;
  console.error(`Port ${port} is in use: pick another with --port ${port + 1}.`);
  process.exit(1);
});
console.log(`oauth-elements dev auth server: ${server.url}`);
console.log(`  discovery: ${server.url}/.well-known/openid-configuration`);
console.log('  demo account: demo / demo, clients: demo-app, other-app');

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    await server.close();
    process.exit(0);
  });
}
