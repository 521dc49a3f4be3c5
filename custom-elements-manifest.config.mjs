// `cem analyze` (run by `npm run build`) writes custom-elements.json at the top of the
// package from the elements' JSDoc and lit decorators. Three things the analyzer does not do
// by itself are done by the plugin below, from the sources, so nothing is written twice:
// - `@cssprop` docs on a stylesheet in another file (json-tree-styles.ts) reach the element
//   whose `static styles` uses that stylesheet;
// - an event's type comes from the elements' event maps in src/events.ts
//   (`OAuthLoginEventMap`: `token` → `CustomEvent<TokenDetail>`) when its `@fires` tag has none;
// - only what users import is described: the two element modules and `define`, with paths
//   to the compiled files in dist/ that the package ships, and one definition per tag.
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

/** `src/oauth-login/x.ts` → `dist/oauth-login/x.js`: `npm run build` compiles each source file there. */
const shippedPath = (path) => path.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js');

/** `[--name=default] - text` or `--name - text`, as in a class's `@cssprop`. */
function parseCssProp(comment) {
  const match = /^\s*(?:\[\s*(--[\w-]+)\s*(?:=\s*([^\]]*?))?\s*\]|(--[\w-]+))\s*(?:-\s*)?([\s\S]*)$/.exec(comment);
  if (!match) return null;
  const cssProp = { name: match[1] ?? match[3] };
  if (match[4].trim()) cssProp.description = match[4].trim();
  if (match[2]) cssProp.default = match[2].trim();
  return cssProp;
}

const tagComment = (ts, tag) => (typeof tag.comment === 'string' ? tag.comment : (ts.getTextOfJSDocComment(tag.comment) ?? ''));

/** The `@cssprop` tags on each top-level `const` of a file, by name. */
function stylesheetDocs(ts, sourceFile) {
  const docs = new Map();
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const cssProps = ts
      .getJSDocTags(statement)
      .filter((tag) => tag.tagName.text === 'cssprop' || tag.tagName.text === 'cssproperty')
      .map((tag) => parseCssProp(tagComment(ts, tag)))
      .filter(Boolean);
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && cssProps.length) docs.set(declaration.name.text, cssProps);
    }
  }
  return docs;
}

/** For each class, the stylesheets its `static styles` names, as [file, exported name]. */
function classStylesheets(ts, sourceFile) {
  const imported = new Map();
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !statement.importClause?.namedBindings) continue;
    const specifier = statement.moduleSpecifier.text;
    if (!specifier.startsWith('.') || !ts.isNamedImports(statement.importClause.namedBindings)) continue;
    const file = normalize(join(dirname(sourceFile.fileName), specifier)).replace(/\.js$/, '.ts');
    for (const element of statement.importClause.namedBindings.elements) {
      imported.set(element.name.text, [file, (element.propertyName ?? element.name).text]);
    }
  }
  const result = new Map();
  for (const statement of sourceFile.statements) {
    if (!ts.isClassDeclaration(statement) || !statement.name) continue;
    const styles = statement.members.find(
      (member) => ts.isPropertyDeclaration(member) && member.name.getText(sourceFile) === 'styles' && member.initializer,
    );
    if (!styles) continue;
    const names = ts.isArrayLiteralExpression(styles.initializer) ? styles.initializer.elements : [styles.initializer];
    result.set(
      statement.name.text,
      names.filter(ts.isIdentifier).map((name) => imported.get(name.text) ?? [sourceFile.fileName, name.text]),
    );
  }
  return result;
}

/** The entries of the `OAuth…EventMap` interfaces (event name → type), with local type aliases expanded once. */
function eventTypes(ts, sourceFile) {
  const aliases = new Map();
  const events = new Map();
  const visit = (node) => {
    if (ts.isTypeAliasDeclaration(node)) aliases.set(node.name.text, node.type.getText(sourceFile));
    if (ts.isInterfaceDeclaration(node) && /^OAuth\w+EventMap$/.test(node.name.text)) {
      for (const member of node.members) {
        if (ts.isPropertySignature(member) && member.type) {
          const name = ts.isStringLiteral(member.name) ? member.name.text : member.name.getText(sourceFile);
          events.set(name, member.type.getText(sourceFile));
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  for (const [name, type] of events) events.set(name, aliases.get(type) ?? type);
  return events;
}

const LISTENER_TYPINGS = new Set(['addEventListener', 'removeEventListener']);

function parse(ts, file) {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
}

function oauthElementsPlugin() {
  // The analyzer's own TypeScript (it may differ from the project's): its syntax kinds match the AST it hands over.
  let ts;
  const stylesOfClass = new Map();
  const events = new Map();
  const stylesheets = new Map();
  const docsOf = (ts, file) => {
    if (!stylesheets.has(file)) stylesheets.set(file, stylesheetDocs(ts, parse(ts, file)));
    return stylesheets.get(file);
  };

  return {
    name: 'oauth-elements',
    initialize({ ts: analyzerTs }) {
      ts = analyzerTs;
    },
    collectPhase({ node }) {
      if (!ts.isSourceFile(node)) return;
      for (const [name, sheets] of classStylesheets(ts, node)) stylesOfClass.set(name, sheets);
      for (const [name, type] of eventTypes(ts, node)) events.set(name, type);
    },
    packageLinkPhase({ customElementsManifest }) {
      const elements = [];
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          if (!declaration.customElement || !declaration.tagName) continue;
          elements.push({ module, declaration });

          // `{ state: true }` in `static properties` is internal state, not an attribute:
          // the analyzer lists it as one unless the field is private, so private fields go.
          const privateFields = new Set(
            (declaration.members ?? []).filter((member) => member.privacy === 'private').map((member) => member.name),
          );
          declaration.attributes = declaration.attributes?.filter((attribute) => !privateFields.has(attribute.fieldName));
          // Private members (`#fields`, internal state) are not for users; `static properties` is lit's;
          // the `declare`d listener methods only narrow the DOM's own types to these events.
          declaration.members = declaration.members?.filter(
            (member) =>
              member.privacy !== 'private' && !(member.static && member.name === 'properties') && !LISTENER_TYPINGS.has(member.name),
          );

          const cssProperties = (declaration.cssProperties ??= []);
          for (const [file, name] of stylesOfClass.get(declaration.name) ?? []) {
            for (const cssProp of docsOf(ts, file).get(name) ?? []) {
              if (!cssProperties.some((known) => known.name === cssProp.name)) cssProperties.push(cssProp);
            }
          }

          for (const event of declaration.events ?? []) {
            if (!event.type && events.has(event.name)) event.type = { text: events.get(event.name) };
          }
        }
      }

      // The analyzer reads files in whatever order they come; sorted, the file is the same on every build.
      elements.sort((a, b) => a.declaration.tagName.localeCompare(b.declaration.tagName));

      // define.ts registers tags in a loop, which the analyzer reads as one tag named "tag".
      const define = customElementsManifest.modules.find((module) => module.path === 'src/define.ts');
      if (define) {
        define.declarations = [];
        define.exports = elements.flatMap(({ module, declaration }) => {
          const ref = { name: declaration.name, module: shippedPath(module.path) };
          return [
            { kind: 'js', name: declaration.name, declaration: ref },
            { kind: 'custom-element-definition', name: declaration.tagName, declaration: ref },
          ];
        });
      }

      customElementsManifest.modules = customElementsManifest.modules.filter(
        (module) => module === define || elements.some((element) => element.module === module),
      );
      customElementsManifest.modules.sort((a, b) => a.path.localeCompare(b.path));
      for (const module of customElementsManifest.modules) {
        module.path = shippedPath(module.path);
        for (const exported of module.exports ?? []) {
          if (exported.declaration?.module) exported.declaration.module = shippedPath(exported.declaration.module);
        }
      }
    },
  };
}

export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/core/**'],
  litelement: true,
  // package.json is edited by hand: its `customElements` field points at custom-elements.json.
  packagejson: false,
  plugins: [oauthElementsPlugin()],
};
