#!/usr/bin/env node
'use strict';

/**
 * Builds the image the Dockerfile describes on this machine, without a Docker engine, and
 * checks what comes out:
 *
 *   node scripts/check-image-build.js [Dockerfile] [--context <dir>] [--keep]
 *
 * Defaults: the Dockerfile at the repository root, the repository as the build context; the
 * ignore file is <Dockerfile>.dockerignore when it exists, else the context's .dockerignore.
 *
 *  0. Every stage's base image is node:<version> of the release package.json pins as its `node`
 *     devDependency, the Node every npm script and test runs on.
 *  1. The stages the final stage copies from (the build stage) are staged in a temp folder
 *     each: their COPY lines bring exactly the context paths they name, minus what the ignore
 *     file leaves out, and their RUN lines run there (npm ci, npm run build, npm prune) with the
 *     stage's ARG and ENV. Host node and npm stand in for the base image's; npm's cache under
 *     $HOME is used as is (see scripts/image-stages.js for what is passed through).
 *  2. Their dist/ must exist and hold no test code (*.spec.*, *.int-spec.*, *.e2e-spec.*, test/).
 *  3. The final stage is staged in a second folder from its COPY lines (--from and context);
 *     its RUN lines are listed, not run. It must hold no test code either, and the files its
 *     HEALTHCHECK names must be there.
 *  4. Its ENTRYPOINT + CMD runs once per service (SERVICE as the build arg, as compose sets it)
 *     and once as `dead-letter-cli`, with an invalid PORT / AMQP_URL: each must exit with
 *     "Invalid configuration". The config is validated after main.js and every module it
 *     requires at load time have loaded, so this proves the entrypoint finds each main.js and
 *     the pruned production node_modules hold what they require.
 *
 * Prints each step; on a failure prints which step failed and why, and exits 1. The temp
 * folders are removed either way (--keep leaves them for a look).
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { dockerStages, splitFlags, execForm, dockerWords, keyValuePairs } = require('./dockerfile');
const { parseDockerignore, dockerignoreMatcher } = require('./dockerignore');
const { ImageStages, BuildError, PASSED_THROUGH, runLogged, summarize } = require('./image-stages');
const { readCommandLine, refuse } = require('./cli-usage');

const ROOT = path.resolve(__dirname, '..');
/** Every application in nest-cli.json that runs as a service (the CLI is run on its own below). */
const SERVICES = Object.entries(require('../nest-cli.json').projects)
  .filter(([name, project]) => project.type === 'application' && name !== 'dead-letter-cli')
  .map(([name]) => name);
/** Each run: the arguments after the image name, build args, and env that fails config validation. */
const RUNS = [
  ...SERVICES.map((service) => ({ name: service, args: [], buildArgs: { SERVICE: service }, env: { PORT: 'not-a-port' } })),
  { name: 'dead-letter-cli', args: ['dead-letter-cli', 'list'], buildArgs: {}, env: { AMQP_URL: 'not-an-amqp-url' } },
];
const RUN_TIMEOUT_MS = 60_000;
const TEST_CODE = /(^|\/)(test|testing)(\/|$)|\.(spec|int-spec|e2e-spec)\.[^/]+$/;

const log = (line) => process.stdout.write(`${line}\n`);

/** The image must run the Node the tests ran on: node:<the version of package.json's `node` devDependency>-…. */
function checkNodeRelease(parsed) {
  const pinned = require('../package.json').devDependencies?.node;
  if (!pinned) throw new BuildError('package.json pins no `node` devDependency');
  const globals = {};
  for (const { args } of parsed.globalArgs) for (const [key, value] of keyValuePairs(args, globals)) globals[key] = value;
  const names = new Set(parsed.stages.map((s) => s.name).filter(Boolean));
  for (const stage of parsed.stages) {
    const base = dockerWords(stage.base, globals)[0] ?? '';
    if (names.has(base)) continue;
    const match = /^node:(\d+\.\d+\.\d+)-/.exec(base);
    if (!match || match[1] !== pinned) {
      throw new BuildError(
        `stage ${stage.name ?? stage.index} is FROM ${base}: the image must run node:${pinned}-…, the Node package.json pins`,
      );
    }
  }
  log(`every stage runs node ${pinned}, as package.json pins`);
}

const CHECK_IMAGE = {
  usage: ['npm run check:image', 'node scripts/check-image-build.js [<Dockerfile>] [--context <dir>] [--keep]'],
  summary:
    'Builds the image the Dockerfile describes on this machine, without a Docker engine (host node and npm stand in ' +
    "for the base image's), and checks what comes out: no test code in the build or final stage, the HEALTHCHECK's " +
    'files present, and the ENTRYPOINT starting each service and the dead-letter CLI, each stopping at "Invalid ' +
    'configuration" once its modules loaded. Prints each step; exits 1 naming the step that failed.',
  arguments: [['<Dockerfile>', 'default the Dockerfile at the repository root']],
  options: {
    context: { type: 'string', value: '<dir>', description: 'the build context (default the repository)' },
    keep: { type: 'boolean', description: 'leave the staged folders for a look' },
  },
  environment: {
    [PASSED_THROUGH.join(', ')]: "passed to the build stage's commands (npm ci, npm run build), the rest is not",
  },
};

function parseArgs(argv) {
  const { values, positionals } = readCommandLine(CHECK_IMAGE, argv);
  if (positionals.length > 1) refuse(CHECK_IMAGE, `one Dockerfile at a time (also given: ${positionals.slice(1).join(' ')})`);
  return {
    dockerfile: path.resolve(positionals[0] ?? path.join(ROOT, 'Dockerfile')),
    context: path.resolve(values.context ?? ROOT),
    keep: values.keep === true,
  };
}

/** Test files under dir (node_modules left out), as paths relative to dir. */
function testCodeIn(dir, rel = '') {
  const found = [];
  for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const childRel = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.name === 'node_modules') continue;
    if (TEST_CODE.test(childRel)) found.push(childRel);
    else if (entry.isDirectory()) found.push(...testCodeIn(dir, childRel));
  }
  return found;
}

function countFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => !e.isDirectory()).length;
}

function assertNoTestCode(dir, what) {
  const found = testCodeIn(dir);
  if (found.length > 0) {
    const shown = found
      .slice(0, 10)
      .map((f) => `    ${f}`)
      .join('\n');
    throw new BuildError(`${what} holds test code (${found.length} path(s)${found.length > 10 ? ', the first 10' : ''}):\n${shown}`);
  }
}

/** The command Docker would run for `docker run <image> ...args`, mapped onto the staged folder. */
function commandFor(state, args) {
  const argv = state.entrypoint
    ? [...state.entrypoint, ...(args.length > 0 ? args : (state.cmd ?? []))]
    : args.length > 0
      ? args
      : (state.cmd ?? []);
  if (argv.length === 0) throw new BuildError('the final stage has neither ENTRYPOINT nor CMD');
  const [program, ...rest] = argv;
  if (!program.startsWith('/')) return argv;
  const rel = path.posix.relative(state.workdir ?? '/', program);
  if (!rel.startsWith('..')) return [path.join(state.dir, rel), ...rest];
  // Outside the WORKDIR: the host's own /bin/sh and the like, else the same name on PATH.
  return [fs.existsSync(program) ? program : path.posix.basename(program), ...rest];
}

async function checkRun(stages, final, state, run, onChild) {
  const argv = commandFor(state, run.args);
  const env = { PATH: process.env.PATH, ...stages.environment(final, run.buildArgs), ...run.env };
  const what = `${run.name} (${Object.entries({ ...run.buildArgs, ...run.env })
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}): ${[...(state.entrypoint ?? []), ...(run.args.length > 0 ? run.args : (state.cmd ?? []))].join(' ')}`;
  const started = Date.now();
  const result = await runLogged(argv, {
    cwd: state.dir,
    env,
    logPath: path.join(path.dirname(state.dir), `run-${run.name}.log`),
    timeoutMs: RUN_TIMEOUT_MS,
    onChild,
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const missing = /Cannot find module|MODULE_NOT_FOUND|not found/.test(result.output);
  if (result.error || result.timedOut || result.code === 0 || missing || !/Invalid configuration/.test(result.output)) {
    const outcome =
      result.error?.message ??
      (result.timedOut ? `did not exit within ${RUN_TIMEOUT_MS / 1000} s` : `exited with ${result.code ?? result.signal}`);
    throw new BuildError(
      `[run] ${what} ${outcome}, not with "Invalid configuration" after loading its modules; ${summarize(result.output)}`,
    );
  }
  const main = /(\/[^\s():]*\/main\.js)/.exec(result.output)?.[1];
  // Plain text (the dead-letter CLI) or inside a service's JSON log line, where its newlines are written as \n.
  const problem = /Invalid configuration:(?:\\n|\s)*-?\s*([^\n"\\]*)/.exec(result.output)?.[1];
  log(`[run] ${what}: loaded ${main ? path.relative(state.dir, main) : 'its main.js'}, stopped at "${problem}" (${seconds} s)`);
}

/** The files a HEALTHCHECK CMD names by relative path (docker/healthcheck.js) must be in the image. */
function checkHealthcheckFiles(state) {
  if (!state.healthcheck) return;
  const command = splitFlags(state.healthcheck).rest.replace(/^CMD\s+/i, '');
  const words = execForm(command) ?? command.split(/\s+/);
  for (const word of words.filter((w) => /^[\w.-]+\/[\w./-]+\.\w+$/.test(w))) {
    if (!fs.existsSync(path.join(state.dir, word))) throw new BuildError(`HEALTHCHECK runs ${word}, which is not in the final stage`);
  }
}

async function main(argv) {
  const started = Date.now();
  let workRoot;
  let current = null;
  const onChild = (child) => (current = child);
  const stop = (signal) => {
    try {
      if (current) process.kill(-current.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    if (workRoot) fs.rmSync(workRoot, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  try {
    const options = parseArgs(argv);
    if (!fs.existsSync(options.dockerfile)) throw new BuildError(`no Dockerfile at ${options.dockerfile}`);
    const ignoreFile = [`${options.dockerfile}.dockerignore`, path.join(options.context, '.dockerignore')].find((f) => fs.existsSync(f));
    const parsed = dockerStages(fs.readFileSync(options.dockerfile, 'utf8'));
    if (parsed.stages.length === 0) throw new BuildError('the Dockerfile has no FROM');
    const final = parsed.stages[parsed.stages.length - 1];
    checkNodeRelease(parsed);
    const npm = execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim();
    const rel = (p) => (path.relative(process.cwd(), p).startsWith('..') ? p : path.relative(process.cwd(), p) || '.');
    log(
      `check-image-build: ${rel(options.dockerfile)} with context ${rel(options.context)} and ${ignoreFile ? rel(ignoreFile) : 'no ignore file'}; ` +
        `host node ${process.version} / npm ${npm} stand in for ${[...new Set(parsed.stages.map((s) => s.base))].join(', ')}`,
    );

    workRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'check-image-build-'));
    const ignore = dockerignoreMatcher(parseDockerignore(ignoreFile ? fs.readFileSync(ignoreFile, 'utf8') : ''));
    const stages = new ImageStages({ parsed, context: options.context, ignore, workRoot, log, onChild });

    // The stages the final one copies from, each checked as soon as it is built.
    let dists = 0;
    for (const stage of stages.dependenciesOf(final)) {
      const built = await stages.build(stage);
      const dist = path.join(built.dir, 'dist');
      if (!fs.existsSync(dist)) continue;
      assertNoTestCode(dist, `[${built.label}] dist/`);
      log(`[${built.label}] dist/: ${countFiles(dist)} files, no test code`);
      dists += 1;
    }
    if (dists === 0) throw new BuildError('no stage the final one copies from made a dist/');

    const state = await stages.build(final, { runCommands: false });
    assertNoTestCode(state.dir, `[${state.label}] the final stage`);
    checkHealthcheckFiles(state);
    log(`[${state.label}] ${countFiles(state.dir)} files staged, no test code outside node_modules`);
    for (const run of RUNS) await checkRun(stages, final, state, run, onChild);

    log(`check-image-build OK in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } catch (error) {
    const message = error instanceof BuildError ? error.message : (error.stack ?? String(error));
    process.stderr.write(`check-image-build FAILED after ${((Date.now() - started) / 1000).toFixed(1)} s: ${message}\n`);
    return 1;
  } finally {
    if (workRoot && !argv.includes('--keep')) fs.rmSync(workRoot, { recursive: true, force: true });
    else if (workRoot) log(`kept ${workRoot}`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
