// The script-tag bundles, built from the TypeScript output in dist/ (run `npm run build`,
// which compiles first): one minified ES module with lit inlined, and the same code as a
// classic script for pages without modules (`<script src>` alone, pages opened from file://).
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

const terserOptions = { ecma: 2022, compress: { passes: 3 }, format: { comments: false } };

const plugins = [
  // lit's production build: no dev-mode warnings, smaller.
  nodeResolve({ exportConditions: ['production'] }),
  minifyCssTemplates(),
];

export default [
  {
    input: 'dist/define.js',
    // Chunks import what they share with the bundle from the bundle itself, not from a third file.
    preserveEntrySignatures: 'allow-extension',
    // The one URL a page names; its chunks resolve against it (import.meta.url), wherever it is served from.
    output: {
      dir: 'dist',
      entryFileNames: 'oauth-elements.js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      // Shared modules too small for a request of their own stay in the bundle.
      experimentalMinChunkSize: 1000,
      format: 'es',
      sourcemap: true,
      plugins: [terser({ ...terserOptions, module: true })],
    },
    plugins,
  },
  {
    input: 'dist/define.js',
    // One file, no import or export: the elements register as the script runs, and the
    // classes are window.OAuthElements for pages that extend or check them.
    output: {
      file: 'dist/oauth-elements.iife.js',
      format: 'iife',
      name: 'OAuthElements',
      inlineDynamicImports: true,
      sourcemap: true,
      plugins: [terser(terserOptions)],
    },
    plugins,
  },
];
