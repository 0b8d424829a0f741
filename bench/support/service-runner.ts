/**
 * Runs the platform's services as real processes for the end-to-end benchmarks, the
 * way they run in production: plain compiled JavaScript, no compiler in the process.
 *
 * Why not ts-node (as test/support/service-process.ts does): ts-node keeps the whole
 * TypeScript compiler loaded in every service (tens of MB of heap), which would make
 * the peak-RSS figures of case 7 describe the test harness, not the service.
 * So the sources are transpiled once per benchmark run, file by file, with the
 * project's own compiler options — exactly what ts-node's transpile-only mode does on
 * the fly — into a temporary directory that mirrors the repository layout; the
 * `@todo/*` aliases resolve there through tsconfig-paths (TS_NODE_BASEURL) and bare
 * packages through NODE_PATH. Set BENCH_SERVICE_RUNTIME=ts-node to run them through
 * ts-node instead.
 *
 * Every child is tracked: killAllServices() (also run when this process exits) ends
 * whichever are still alive, so a failed benchmark never leaves services behind.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, createReadStream, openSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import ts from 'typescript';
import { freePort } from '../../test/support/service-process';

const ROOT = join(__dirname, '..', '..');
// A CommonJS script shared with scripts/start-all.js, which has no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SERVICE_NODE_FLAGS: string[] = require('../../scripts/service-node-flags');
const TSCONFIG = join(ROOT, 'tsconfig.json');

export type ServiceName = 'todo-service' | 'notification-service' | 'analytics-service' | 'order-service' | 'inventory-service';

export interface ServiceBuild {
  /** Where the entry point of a service is, and how to start it. */
  command(service: ServiceName): { args: string[]; env: Record<string, string> };
  runtime: 'compiled' | 'ts-node';
  dispose(): Promise<void>;
}

/** Transpiles apps/ and libs/ (not tests) into a temporary directory, or prepares ts-node. */
export async function buildServices(): Promise<ServiceBuild> {
  if (process.env.BENCH_SERVICE_RUNTIME === 'ts-node') {
    return {
      runtime: 'ts-node',
      command: (service) => ({
        args: ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', join(ROOT, 'apps', service, 'src', 'main.ts')],
        env: { TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_PROJECT: TSCONFIG },
      }),
      dispose: async () => undefined,
    };
  }
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(TSCONFIG, ts.sys.readFile).config, ts.sys, ROOT);
  const compilerOptions: ts.CompilerOptions = {
    ...parsed.options,
    sourceMap: false,
    inlineSourceMap: false,
    declaration: false,
    noEmit: false,
  };
  const outDir = await mkdtemp(join(tmpdir(), 'bench-services-'));
  try {
    for (const top of ['apps', 'libs']) {
      for (const file of sourceFiles(join(ROOT, top))) {
        const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions, fileName: file });
        const target = join(outDir, relative(ROOT, file)).replace(/\.ts$/, '.js');
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, outputText);
      }
    }
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
  return {
    runtime: 'compiled',
    command: (service) => ({
      // The V8 flags the services run with everywhere (start-all, Dockerfile).
      args: [
        ...SERVICE_NODE_FLAGS,
        ...profileFlags(service),
        '-r',
        'tsconfig-paths/register',
        join(outDir, 'apps', service, 'src', 'main.js'),
      ],
      env: { TS_NODE_PROJECT: TSCONFIG, TS_NODE_BASEURL: outDir, NODE_PATH: join(ROOT, 'node_modules') },
    }),
    dispose: () => rm(outDir, { recursive: true, force: true }),
  };
}

/**
 * BENCH_CPU_PROF=<dir> profiles every service process the benchmark starts (`--cpu-prof`,
 * `<service>-<n>.cpuprofile` per process, written when it exits; open it in Chrome's DevTools).
 */
let profiled = 0;
function profileFlags(service: ServiceName): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${service}-${++profiled}.cpuprofile`] : [];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'testing' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') &&
      !entry.name.endsWith('.spec.ts') &&
      !entry.name.endsWith('.int-spec.ts') &&
      !entry.name.endsWith('.d.ts')
      ? [path]
      : [];
  });
}

export interface MemorySample {
  /** Resident set size now, kB. */
  rssKb: number;
  /** Peak resident set size since the process started (VmHWM), kB. */
  hwmKb: number;
}

/** CPU time (user + system) a live process has used so far, ms, from /proc (10 ms resolution); undefined once it is gone. */
export function readCpuMs(pid: number): number | undefined {
  try {
    // Fields after the command name (which may hold spaces, hence the last ')'): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** USER_HZ, which /proc/<pid>/stat counts in: 100 on Linux (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_SECOND = 100;

/** VmRSS and VmHWM of a live process, from /proc; undefined once it is gone. */
export function readMemory(pid: number): MemorySample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
  } catch {
    return undefined;
  }
}

export interface RunningService {
  name: ServiceName;
  pid: number;
  port: number;
  url: string;
  /** Where its stdout (JSON log lines) goes. */
  logFile: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Highest VmRSS seen by sampleMemory() and the last VmHWM read, kB. */
  memory: { maxRssKb: number; hwmKb: number };
  isAlive(): boolean;
  /** Reads /proc once and folds it into `memory`. */
  sampleMemory(): void;
  /** The last few kB the process wrote to stderr. */
  stderrTail(): string;
  /** Lines logged since it became ready, and the warn/error/fatal ones among them (the first 50). */
  logProblems(): Promise<{ lines: number; problems: string[] }>;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL if it has not exited after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Ends every service this process started that is still running. */
export function killAllServices(): void {
  for (const child of live) child.kill('SIGKILL');
}

const PROBLEM = /"level":\s*(?:"(?:warn|error|fatal)"|[456]0\b)/;
const KEEP_PROBLEMS = 50;

/**
 * Starts one service as a process of its own and resolves once GET /health/ready
 * answers 200. Only the variables given (and PATH/HOME) reach it, so nothing from the
 * benchmark's own environment (OTEL_*, a stray DB_POOL_SIZE) changes what is measured.
 *
 * Its log goes to a file, not a pipe: at 1,000 events/s the services write thousands of
 * lines a second, and a pipe this (busy) process reads late would push back on them.
 */
export async function startService(
  build: ServiceBuild,
  service: ServiceName,
  env: Record<string, string>,
  logDir: string,
): Promise<RunningService> {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', killAllServices);
  }
  const port = await freePort();
  const { args, env: runtimeEnv } = build.command(service);
  const logFile = join(logDir, `${service}-${port}.log`);
  const logFd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...runtimeEnv, ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', logFd, 'pipe'],
    });
  } finally {
    closeSync(logFd);
  }
  live.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    }),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-20_000);
  });
  // The readiness probes below answer 503 (and the service logs that) until it is up: not a finding.
  let readyAtByte = 0;
  const running: RunningService = {
    name: service,
    pid: child.pid!,
    port,
    url: `http://127.0.0.1:${port}`,
    logFile,
    exited,
    memory: { maxRssKb: 0, hwmKb: 0 },
    isAlive: () => !gone,
    sampleMemory() {
      const m = readMemory(child.pid!);
      if (!m) return;
      running.memory.maxRssKb = Math.max(running.memory.maxRssKb, m.rssKb);
      running.memory.hwmKb = Math.max(running.memory.hwmKb, m.hwmKb);
    },
    stderrTail: () => stderr.slice(-4_000),
    async logProblems() {
      let lines = 0;
      const problems: string[] = [];
      const reader = createInterface({ input: createReadStream(logFile, { start: readyAtByte }), crlfDelay: Infinity });
      for await (const line of reader) {
        lines += 1;
        if (problems.length < KEEP_PROBLEMS && PROBLEM.test(line)) problems.push(line);
      }
      return { lines, problems };
    },
    kill: (signal) => {
      if (!gone) child.kill(signal);
    },
    async stop(timeoutMs = 15_000) {
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    // Not waitFor(): a service that exited must fail the start at once, not at the timeout.
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (gone) throw new Error(`${service} exited during start-up: ${stderr.slice(-4_000)}`);
      const status = await fetch(`${running.url}/health/ready`, { signal: AbortSignal.timeout(5_000) })
        .then(async (res) => (await res.arrayBuffer(), res.status))
        .catch(() => 0);
      if (status === 200) break;
      if (Date.now() > deadline) throw new Error(`${service} not ready after 90 s: ${stderr.slice(-4_000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
  readyAtByte = statSync(logFile).size;
  return running;
}
