// The script-tag bundle: one minified ES module with lit inlined, built from the
// TypeScript output in dist/ (run `npm run build`, which compiles first).
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

/**
 * Terser leaves template literals alone, so the CSS in lit's css`…` tags would ship with
 * its indentation and comments. This collapses it; it only touches css`…` templates
 * without expressions, where whitespace around punctuation has no meaning.
 */
function minifyCssTemplates() {
  return {
    name: 'minify-css-templates',
    transform(code, id) {
      if (!id.includes('/dist/')) return null;
      const minified = code.replace(/\bcss\s*`([^`$]*)`/g, (_, text) => {
        const css = text
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\s+/g, ' ')
          .replace(/\s*([{};:,>])\s*/g, '$1')
          .replace(/;}/g, '}')
          // An attribute value that is a CSS identifier needs no quotes: [part='status'] → [part=status].
          .replace(/=(['"])(-?[A-Za-z_][\w-]*)\1\]/g, '=$2]')
          .replace(/([\s:,(])0\.(\d)/g, '$1.$2')
          .trim();
        return `css\`${css}\``;
      });
      return minified === code ? null : { code: minified, map: null };
    },
  };
}

export default {
  input: 'dist/define.js',
  output: { file: 'dist/oauth-elements.js', format: 'es', sourcemap: true },
  plugins: [
    // lit's production build: no dev-mode warnings, smaller.
    nodeResolve({ exportConditions: ['production'] }),
    minifyCssTemplates(),
    terser({ ecma: 2022, module: true, compress: { passes: 3 }, format: { comments: false } }),
  ],
};
