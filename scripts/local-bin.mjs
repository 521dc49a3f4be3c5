// The scripts run tools from this repository's node_modules/.bin only: npx would fetch
// whatever package shares a tool's name when node_modules lacks it.
import { fileURLToPath } from 'node:url';

/** The path of `name` in node_modules/.bin. */
export const localBin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
