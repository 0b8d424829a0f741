/**
 * Runs the benchmarks' TypeScript the way the services run in production: transpiled
 * (per file, with the project's compiler options), without ts-node in the process.
 * ts-node loads Node's REPL, and with it the `domain` module, which wraps every
 * callback of the process; that overhead would be measured along with the platform.
 * `@todo/*` paths resolve through tsconfig-paths, as in the services.
 */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const ts = require('typescript');

const root = join(__dirname, '..', '..');
const configFile = join(root, 'tsconfig.json');
const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configFile, ts.sys.readFile).config, ts.sys, root);
const compilerOptions = { ...parsed.options, sourceMap: false, inlineSourceMap: true, declaration: false, noEmit: false };

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};

require('tsconfig-paths').register({ baseUrl: parsed.options.baseUrl ?? root, paths: parsed.options.paths ?? {} });
