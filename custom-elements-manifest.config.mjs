// `cem analyze` (run by `npm run build`) writes custom-elements.json at the top of the
// package from the elements' JSDoc (`@fires {Type} name`, `@slot`, `@csspart`, `@cssprop`)
// and the `customElements.define` calls in define.ts. The plugin below only makes the file
// describe what users get: the compiled paths the package ships, and no internals.

import { posix } from 'node:path';

/**
 * `src/oauth-login/x.ts` → `dist/oauth-login/x.js`: `npm run build` compiles each source file
 * there. The analyzer names a re-exported module relative to `from`, a defined one from `/`.
 */
const shippedPath = (path, from = '') =>
  (path.startsWith('.') ? posix.join(posix.dirname(from), path) : path).replace(/^\/?src\//, 'dist/').replace(/\.ts$/, '.js');

const TYPED_LISTENERS = new Set(['addEventListener', 'removeEventListener']);

function shippedApi() {
  return {
    name: 'shipped-api',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        for (const exported of module.exports ?? []) {
          if (exported.declaration?.module) exported.declaration.module = shippedPath(exported.declaration.module, module.path);
        }
        module.path = shippedPath(module.path);
        for (const declaration of module.declarations ?? []) {
          // `{ state: true }` in `static properties` is internal state, not an attribute:
          // the analyzer lists it as one unless the field is private, so private fields go.
          const privateFields = new Set(
            (declaration.members ?? []).filter((member) => member.privacy === 'private').map((member) => member.name),
          );
          declaration.attributes = declaration.attributes?.filter((attribute) => !privateFields.has(attribute.fieldName));
          // Private members (`#fields`, internal state) are not for users; `static properties` is lit's;
          // the typed `addEventListener` and `removeEventListener` (a `declare` of HTMLElement's own
          // methods, for the elements' event maps) are not fields.
          declaration.members = declaration.members?.filter(
            (member) =>
              member.privacy !== 'private' && !(member.static && member.name === 'properties') && !TYPED_LISTENERS.has(member.name),
          );
        }
      }
    },
  };
}

export default {
  // Only what users import: the two elements and the module that registers them.
  globs: ['src/define.ts', 'src/oauth-fetch/oauth-fetch-element.ts', 'src/oauth-login/oauth-login-element.ts'],
  litelement: true,
  // package.json is edited by hand: its `customElements` field points at custom-elements.json.
  packagejson: false,
  plugins: [shippedApi()],
};
