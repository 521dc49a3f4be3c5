// The script-tag bundle: one minified ES module with lit inlined, built from the
// TypeScript output in dist/ (run `npm run build`, which compiles first).
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

export default {
  input: 'dist/define.js',
  output: { file: 'dist/oauth-elements.js', format: 'es', sourcemap: true },
  // lit's production build: no dev-mode warnings, smaller.
  plugins: [nodeResolve({ exportConditions: ['production'] }), terser({ ecma: 2021, module: true, format: { comments: false } })],
};
