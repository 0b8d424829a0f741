/**
 * Runs the repository's TypeScript without a build step and without ts-node in the
 * process: each file is transpiled on require with the project's compiler options, and
 * `@todo/*` paths resolve through tsconfig-paths, as in the services. Used by the
 * benchmarks (ts-node loads Node's REPL, and with it the `domain` module, which wraps
 * every callback of the process — an overhead they would measure along with the
 * platform) and by the TypeORM CLI (`npm run migration:* -- <service>`).
 *
 *   node -r ./scripts/register-ts.js some/entry.ts
 */
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const { compileFunction, constants } = require('node:vm');
const ts = require('typescript');

const root = join(__dirname, '..');
const configFile = join(root, 'tsconfig.json');
const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configFile, ts.sys.readFile).config, ts.sys, root);
const compilerOptions = { ...parsed.options, sourceMap: false, inlineSourceMap: true, declaration: false, noEmit: false };

/** The arguments Node's CommonJS wrapper gives a module's code. */
const WRAPPER_PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname'];

// Node's loader compiles a CommonJS file the same way; this does it with public calls only
// (vm, createRequire) rather than the Module's internal _compile.
require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), { compilerOptions, fileName: filename });
  const body = compileFunction(outputText, WRAPPER_PARAMETERS, {
    filename,
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  body.call(module.exports, module.exports, createRequire(filename), module, filename, dirname(filename));
};

require('tsconfig-paths').register({ baseUrl: parsed.options.baseUrl ?? root, paths: parsed.options.paths ?? {} });
