/**
 * Runs the repository's TypeScript without a build step and without ts-node in the
 * process: each file is transpiled on load with the project's compiler options, and
 * `@todo/*` paths resolve through tsconfig-paths, as in the services. Used by the
 * command-line tools under scripts/ (start-all, setup:local, broker:*, cluster:*, asyncapi,
 * compose:provisioning), the demos, the benchmarks (ts-node loads Node's REPL, and with it
 * the `domain` module, which wraps every callback of the process — an overhead they would
 * measure along with the platform) and the TypeORM CLI (`npm run migration:* -- <service>`).
 *
 *   node -r ./scripts/register-ts.js some/entry.ts
 *
 * Why not Node's own type stripping: the services use decorators with emitted metadata
 * (Nest's injection reads it) and parameter properties, which stripping does not
 * transform; tsx and other esbuild-based loaders do not emit decorator metadata either.
 * The transpiling is TypeScript's own `transpileModule`, hooked in with Node's public
 * `module.registerHooks`.
 */
const { existsSync, readFileSync } = require('node:fs');
const { isAbsolute, join, resolve } = require('node:path');
const { fileURLToPath, pathToFileURL } = require('node:url');
const { registerHooks } = require('node:module');
const { createMatchPath } = require('tsconfig-paths');
const ts = require('typescript');

const root = join(__dirname, '..');
const configFile = join(root, 'tsconfig.json');
const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configFile, ts.sys.readFile).config, ts.sys, root);
const compilerOptions = { ...parsed.options, sourceMap: false, inlineSourceMap: true, declaration: false, noEmit: false };

const matchAlias = createMatchPath(resolve(root, parsed.options.baseUrl ?? '.'), parsed.options.paths ?? {});

/** `./x` or `@todo/x` as a TypeScript file: x.ts, or x/index.ts. */
function typeScriptFile(specifier, parentURL) {
  const aliased = matchAlias(specifier, undefined, undefined, ['.ts']);
  if (aliased) return [aliased, `${aliased}.ts`, join(aliased, 'index.ts')].find((file) => file.endsWith('.ts') && existsSync(file));
  if (!specifier.startsWith('.') && !isAbsolute(specifier)) return undefined;
  const base = resolve(parentURL ? join(fileURLToPath(parentURL), '..') : process.cwd(), specifier);
  // `.`, `..` and `dir/` name a folder, as Node reads them: its index, never a sibling file.
  const folder = specifier === '.' || specifier === '..' || specifier.endsWith('/');
  return (folder ? [join(base, 'index.ts')] : [`${base}.ts`, join(base, 'index.ts')]).find((file) => existsSync(file));
}

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (err) {
      const file = typeScriptFile(specifier, context.parentURL);
      if (!file) throw err;
      return { url: pathToFileURL(file).href, format: 'commonjs', shortCircuit: true };
    }
  },
  load(url, context, nextLoad) {
    if (!url.startsWith('file:') || !url.endsWith('.ts') || url.endsWith('.d.ts')) return nextLoad(url, context);
    const fileName = fileURLToPath(url);
    const { outputText } = ts.transpileModule(readFileSync(fileName, 'utf8'), { compilerOptions, fileName });
    return { format: 'commonjs', source: outputText, shortCircuit: true };
  },
});
