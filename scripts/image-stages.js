'use strict';

/**
 * Builds Dockerfile stages on the host, for scripts/check-image-build.js: each stage gets a
 * folder that stands in for its WORKDIR. COPY stages exactly what it names — from the build
 * context minus what .dockerignore leaves out, or (--from) from an earlier stage's folder — and
 * RUN runs in the folder with the stage's ARG and ENV, host tools standing in for the base
 * image's. What this cannot stand in for honestly (ADD, SHELL, a second WORKDIR, a RUN naming
 * the WORKDIR's absolute path, COPY --from an image) stops the build with the reason.
 * One file past 200 lines because every instruction reads and writes the same stage state
 * (folder, WORKDIR, ARG/ENV scope, ENTRYPOINT/CMD), and COPY's path rules depend on all of it.
 */

const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { execForm, splitFlags, dockerWords, keyValuePairs } = require('./dockerfile');
const { globToRegExp } = require('./dockerignore');

/**
 * Host variables a build step needs: tools on PATH, npm's cache and config under HOME, proxies,
 * and the certificate authorities a proxy's certificate chains to (the official Node build
 * trusts its bundled authorities and NODE_EXTRA_CA_CERTS, not the system's store).
 */
const PASSED_THROUGH = [
  'PATH',
  'HOME',
  'npm_config_cache',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
];
const IGNORED = new Set(['USER', 'EXPOSE', 'LABEL', 'STOPSIGNAL', 'VOLUME', 'MAINTAINER']);
const COPY_FLAGS = new Set(['from', 'chown', 'chmod', 'link']);
const RUN_TIMEOUT_MS = 15 * 60_000;

class BuildError extends Error {}

/** The host environment a stage's commands start from (the stage's ARG and ENV go on top). */
function hostEnvironment() {
  return Object.fromEntries(PASSED_THROUGH.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]]));
}

/** Defaults of the ARGs before the first FROM, overridden by build args. */
function globalArgValues(globalArgs, buildArgs) {
  const values = {};
  for (const { args } of globalArgs) {
    for (const [key, value] of keyValuePairs(args, values)) values[key] = buildArgs[key] ?? value;
  }
  return values;
}

/** Applies one ARG or ENV line to a stage's { args, env } scope. */
function applyVariables({ keyword, args: text }, scope, buildArgs, globalValues) {
  const vars = { ...scope.args, ...scope.env };
  if (keyword === 'ARG') {
    for (const [key, value] of keyValuePairs(text, vars)) {
      const resolved = buildArgs[key] ?? value ?? globalValues[key];
      if (resolved !== undefined) scope.args[key] = resolved;
    }
  } else if (keyword === 'ENV') {
    for (const [key, value] of keyValuePairs(text, vars, { onePairForm: true })) scope.env[key] = value ?? '';
  }
}

function copyFile(from, to, isSymlink, link) {
  fs.rmSync(to, { force: true });
  if (isSymlink) fs.symlinkSync(fs.readlinkSync(from), to);
  else if (!link) fs.copyFileSync(from, to);
  else {
    try {
      fs.linkSync(from, to);
    } catch {
      fs.copyFileSync(from, to);
    }
  }
  return 1;
}

function copyDir(from, to, options, rel) {
  fs.mkdirSync(to, { recursive: true });
  let files = 0;
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const childRel = rel ? `${rel}/${entry.name}` : entry.name;
    if (!options.filter(childRel, entry.isDirectory())) continue;
    const [childFrom, childTo] = [path.join(from, entry.name), path.join(to, entry.name)];
    files += entry.isDirectory()
      ? copyDir(childFrom, childTo, options, childRel)
      : copyFile(childFrom, childTo, entry.isSymbolicLink(), options.link);
  }
  return files;
}

/**
 * Copies a file or a directory's contents, returning the number of files. With `link`, files
 * are hard links (the same content without a second copy); symlinks are copied as they are.
 */
function copyTree(from, to, { filter = () => true, link = false } = {}) {
  const entry = fs.lstatSync(from);
  if (entry.isDirectory()) return copyDir(from, to, { filter, link }, '');
  fs.mkdirSync(path.dirname(to), { recursive: true });
  return copyFile(from, to, entry.isSymbolicLink(), link);
}

/** Paths under `root` matching a COPY source with wildcards (Go filepath.Match, segment by segment). */
function expandWildcards(root, source, keep) {
  let matches = [''];
  for (const segment of source.split('/')) {
    const regex = /[*?[]/.test(segment) ? globToRegExp(segment) : null;
    matches = matches.flatMap((base) => {
      const join = (name) => (base ? `${base}/${name}` : name);
      if (!regex) return [join(segment)];
      const dir = path.join(root, base);
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return [];
      return fs
        .readdirSync(dir)
        .sort()
        .filter((name) => regex.test(name))
        .map(join);
    });
  }
  return matches.filter((rel) => fs.existsSync(path.join(root, rel)) && keep(rel, fs.statSync(path.join(root, rel)).isDirectory()));
}

/** Runs a command with its stdout and stderr interleaved into logPath; resolves with the outcome. */
function runLogged(argv, { cwd, env, logPath, timeoutMs, onChild }) {
  const fd = fs.openSync(logPath, 'w');
  return new Promise((resolve) => {
    // A process group of its own, so a timeout or an interrupt can stop npm and what it started.
    const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', fd, fd], detached: true });
    onChild?.(child);
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    let settled = false;
    const done = (code, signal, error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      onChild?.(null);
      fs.closeSync(fd);
      // eslint-disable-next-line no-control-regex -- strips the colour codes some tools print
      const output = fs.readFileSync(logPath, 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
      resolve({ code, signal, error, output, timedOut: signal === 'SIGKILL' });
    };
    child.on('error', (error) => done(null, null, error));
    child.on('exit', (code, signal) => done(code, signal));
  });
}

/** The part of a failed step's output that says why: its TypeScript errors, or its last lines. */
function summarize(output) {
  const tsErrors = output.split('\n').filter((l) => /error TS\d+/.test(l));
  if (tsErrors.length > 0) {
    const missing = [...new Set(tsErrors.map((l) => /TS2307: Cannot find module '([^']+)'/.exec(l)?.[1]).filter(Boolean))];
    const more = tsErrors.length > 12 ? ', the first 12' : '';
    return (
      `${tsErrors.length} TypeScript error(s)${missing.length > 0 ? ` (modules not found: ${missing.join(', ')})` : ''}${more}:\n` +
      tsErrors
        .slice(0, 12)
        .map((l) => `    ${l.trim()}`)
        .join('\n')
    );
  }
  return `last lines of its output:\n${output
    .trimEnd()
    .split('\n')
    .slice(-25)
    .map((l) => `    ${l}`)
    .join('\n')}`;
}

/**
 * The stages of one parsed Dockerfile, built on demand into folders under workRoot.
 * `build(stage, { runCommands })` first builds the stages it copies from or is based on (with
 * their RUN lines) and returns { label, dir, workdir, env, entrypoint, cmd, healthcheck }.
 */
class ImageStages {
  constructor({ parsed, context, ignore, workRoot, buildArgs = {}, log, onChild }) {
    Object.assign(this, { parsed, context, ignore, workRoot, buildArgs, log, onChild });
    this.globalValues = globalArgValues(parsed.globalArgs, buildArgs);
    this.built = new Map();
  }

  /** An earlier stage by name or index, or undefined (then the reference is an image). */
  stageNamed(ref, before) {
    const stage = /^\d+$/.test(ref) ? this.parsed.stages[Number(ref)] : this.parsed.stages.find((s) => s.name === ref.toLowerCase());
    return stage && stage.index < before.index ? stage : undefined;
  }

  parentOf(stage) {
    return this.stageNamed(dockerWords(stage.base, this.globalValues)[0] ?? '', stage);
  }

  /** The stage's ENV (what the image keeps) for other build args, without building anything. */
  environment(stage, buildArgs) {
    const parent = this.parentOf(stage);
    const scope = { args: {}, env: parent ? this.environment(parent, buildArgs) : {} };
    const globalValues = globalArgValues(this.parsed.globalArgs, buildArgs);
    for (const instruction of stage.instructions) applyVariables(instruction, scope, buildArgs, globalValues);
    return scope.env;
  }

  /** The earlier stages a stage copies from (COPY --from), then the one it is based on, if any. */
  dependenciesOf(stage) {
    const deps = [];
    for (const { keyword, args, line } of stage.instructions) {
      const from = keyword === 'COPY' ? splitFlags(args).flags.from : undefined;
      if (from === undefined) continue;
      const source = this.stageNamed(String(from), stage);
      if (!source)
        throw new BuildError(`line ${line}: COPY --from=${from} names no earlier stage (copying from an image is not supported)`);
      if (!deps.includes(source)) deps.push(source);
    }
    const parent = this.parentOf(stage);
    return parent && !deps.includes(parent) ? [...deps, parent] : deps;
  }

  async build(stage, { runCommands = true } = {}) {
    if (this.built.has(stage.index)) return this.built.get(stage.index);
    for (const dep of this.dependenciesOf(stage)) await this.build(dep);
    const parent = this.parentOf(stage);

    const label = stage.name ?? `stage-${stage.index}`;
    const dir = path.join(this.workRoot, label.replace(/[^\w.-]/g, '_'));
    const inherited = parent ? this.built.get(parent.index) : null;
    const state = inherited
      ? { ...inherited, label, dir, env: { ...inherited.env }, cmdFromThisFile: false }
      : { label, dir, workdir: null, env: {}, entrypoint: null, cmd: null, cmdFromThisFile: false, healthcheck: null };
    if (inherited) copyTree(inherited.dir, dir, { link: true });
    else fs.mkdirSync(dir, { recursive: true });
    this.log(`[${label}] FROM ${stage.base} (line ${stage.line}): staged in ${dir}`);

    const scope = { args: {}, env: state.env };
    for (const instruction of stage.instructions) {
      try {
        await this.apply(stage, state, scope, instruction, runCommands);
      } catch (error) {
        if (error instanceof BuildError) error.message = `[${label}] ${error.message}`;
        throw error;
      }
    }
    this.built.set(stage.index, state);
    return state;
  }

  /** One instruction of a stage being built. */
  async apply(stage, state, scope, instruction, runCommands) {
    const { keyword, args: text, line } = instruction;
    const vars = { ...scope.args, ...scope.env };
    if (keyword === 'ARG' || keyword === 'ENV') {
      applyVariables(instruction, scope, this.buildArgs, this.globalValues);
    } else if (keyword === 'WORKDIR') {
      const workdir = path.posix.resolve(state.workdir ?? '/', dockerWords(text, vars).join(' '));
      if (state.workdir && state.workdir !== workdir) {
        throw new BuildError(`line ${line}: WORKDIR ${workdir}: one WORKDIR per stage is supported (the stage's folder stands in for it)`);
      }
      state.workdir = workdir;
    } else if (keyword === 'COPY') {
      this.copy(stage, state, instruction, vars);
    } else if (keyword === 'RUN' && !runCommands) {
      this.log(`[${state.label}] RUN ${text} (line ${line}): not run, it prepares the image's own file system and users`);
    } else if (keyword === 'RUN') {
      await this.run(state, instruction, { ...hostEnvironment(), ...scope.args, ...scope.env });
    } else if (keyword === 'ENTRYPOINT') {
      state.entrypoint = execForm(text) ?? ['/bin/sh', '-c', text];
      // Setting ENTRYPOINT drops a CMD inherited from the base image, as Docker does.
      if (!state.cmdFromThisFile) state.cmd = [];
    } else if (keyword === 'CMD') {
      state.cmd = execForm(text) ?? ['/bin/sh', '-c', text];
      state.cmdFromThisFile = true;
    } else if (keyword === 'HEALTHCHECK') {
      state.healthcheck = text;
    } else if (!IGNORED.has(keyword)) {
      throw new BuildError(`line ${line}: ${keyword} is not supported by this check`);
    }
  }

  /** Maps an absolute path of a stage to its folder; only paths under its WORKDIR have one. */
  hostPath(state, imagePath, where) {
    if (!state.workdir || state.workdir === '/') {
      throw new BuildError(`${where}: stage "${state.label}" sets no WORKDIR (other than /) first, so its files have no folder here`);
    }
    const rel = path.posix.relative(state.workdir, imagePath);
    if (rel === '..' || rel.startsWith('../')) {
      throw new BuildError(
        `${where}: ${imagePath} lies outside the WORKDIR ${state.workdir} of stage "${state.label}", which is all the check stages`,
      );
    }
    return path.join(state.dir, rel);
  }

  copy(stage, state, { args: text, line }, vars) {
    const where = `line ${line}: COPY ${text}`;
    const { flags, rest } = splitFlags(text);
    const unknown = Object.keys(flags).filter((f) => !COPY_FLAGS.has(f));
    if (unknown.length > 0) throw new BuildError(`${where}: --${unknown.join(', --')} is not supported by this check`);
    const words = execForm(rest) ?? dockerWords(rest, vars);
    if (words.length < 2) throw new BuildError(`${where}: needs a source and a destination`);
    const dest = words[words.length - 1];
    const destPath = this.hostPath(state, path.posix.resolve(state.workdir ?? '/', dest), where);

    let root = this.context;
    let keep = (rel, isDir) => rel === '.' || !this.ignore.excludes(rel) || (isDir && this.ignore.mayReinclude(rel));
    let sources;
    if (flags.from !== undefined) {
      const from = this.built.get(this.stageNamed(String(flags.from), stage).index);
      root = from.dir;
      keep = () => true;
      // Sources of COPY --from are paths in the other stage, from its /.
      sources = words.slice(0, -1).map((s) => path.relative(from.dir, this.hostPath(from, path.posix.resolve('/', s), where)) || '.');
    } else {
      sources = words.slice(0, -1).map((s) => {
        const rel = path.posix.normalize(s).replace(/^\/+/, '').replace(/\/+$/, '') || '.';
        if (rel === '..' || rel.startsWith('../')) throw new BuildError(`${where}: ${s} is outside the build context`);
        return rel;
      });
    }

    const picked = [];
    for (const source of sources) {
      const wildcard = /[*?[]/.test(source);
      const exists = fs.existsSync(path.join(root, source));
      const matches = wildcard ? expandWildcards(root, source, keep) : exists ? [source] : [];
      if (matches.length === 0) {
        throw new BuildError(
          `${where}: ${source} ${wildcard ? 'matches nothing' : 'does not exist'} in ${flags.from ? `stage "${flags.from}"` : 'the build context'}`,
        );
      }
      for (const rel of matches) {
        const isDir = fs.statSync(path.join(root, rel)).isDirectory();
        if (!keep(rel, isDir)) throw new BuildError(`${where}: ${rel} is left out of the build context by .dockerignore`);
        picked.push({ rel, isDir, wildcard });
      }
    }
    if ((picked.length > 1 || picked.some((p) => p.wildcard)) && !dest.endsWith('/')) {
      throw new BuildError(`${where}: with more than one source the destination must be a directory ending in /`);
    }

    let files = 0;
    for (const { rel, isDir } of picked) {
      const from = path.join(root, rel);
      if (isDir) {
        files += copyTree(from, destPath, {
          filter: (child, childIsDir) => keep(rel === '.' ? child : `${rel}/${child}`, childIsDir),
          link: Boolean(flags.from),
        });
      } else {
        const intoDir = dest.endsWith('/') || (fs.existsSync(destPath) && fs.statSync(destPath).isDirectory());
        files += copyTree(from, intoDir ? path.join(destPath, path.basename(rel)) : destPath, { link: Boolean(flags.from) });
      }
    }
    this.log(`[${state.label}] COPY ${text} (line ${line}): ${files} file(s)`);
  }

  async run(state, { args: text, line }, env) {
    const where = `line ${line}: RUN ${text}`;
    const cwd = this.hostPath(state, state.workdir ?? '/', where);
    const escaped = state.workdir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`(^|[\\s'"=:;|&(])${escaped}(?=$|[/\\s'";|&)])`).test(text)) {
      throw new BuildError(`${where}: names ${state.workdir}, which on this machine is not the stage's folder, so it is not run`);
    }
    const started = Date.now();
    const result = await runLogged(execForm(text) ?? ['/bin/sh', '-c', text], {
      cwd,
      env,
      logPath: path.join(this.workRoot, `${state.label}-line-${line}.log`),
      timeoutMs: RUN_TIMEOUT_MS,
      onChild: this.onChild,
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.code !== 0) {
      const why = result.error?.message ?? (result.timedOut ? `timed out` : `exited with ${result.code ?? result.signal}`);
      throw new BuildError(`${where}: ${why} after ${seconds} s; ${summarize(result.output)}`);
    }
    this.log(`[${state.label}] RUN ${text} (line ${line}): ok in ${seconds} s`);
  }
}

module.exports = { ImageStages, BuildError, PASSED_THROUGH, runLogged, summarize };
