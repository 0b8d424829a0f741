/**
 * A RabbitMQ cluster on this machine (three nodes by default), for tests that need one:
 * quorum queues, a node stopped or killed under load. It runs beside the machine's own broker
 * (127.0.0.1:5672) and never touches it: each node has its own name, ports, config, plugins
 * file, data and log directories, and shares only epmd and the rabbitmq user's Erlang cookie,
 * so rabbitmqctl reaches every node with `-n <node>`.
 *
 *   npm run cluster:up       # start the nodes and join them; reports and exits 0 if already up
 *   npm run cluster:status   # each node and whether it runs in the cluster; exit 1 unless all do
 *   npm run cluster:down     # stop the nodes and delete their directories; exits 0 if none runs
 *
 * RABBITMQ_CLUSTER_DIR (default /tmp/todo-rabbitmq-cluster) and RABBITMQ_CLUSTER_BASE_PORT
 * (default 5701: AMQP on 5701-5703, distribution on 25701-25703) move it. Tests and benchmarks
 * import the functions below to stop, kill and restart single nodes, or start a fresh
 * one-node "cluster" on other ports (`clusterUp({ size: 1, basePort: 5711 })`). A node is
 * named after its AMQP port (todo-cluster-5701@<host>), so clusters on different ports share
 * the base directory without sharing a node. Runs as root; the nodes run as the rabbitmq user.
 *
 * One file, past the usual length, so that a test imports one module and the node layout
 * (names, ports, paths, environment) is defined in one place for starting and restarting.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { hostname } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { promisify } from 'node:util';
import amqplib from 'amqplib';
import { Cli, readCommandLine, refuse } from './cli-usage';

const run = promisify(execFile);

const DEFAULT_BASE_DIR = '/tmp/todo-rabbitmq-cluster';
const DEFAULT_BASE_PORT = 5701;
const DEFAULT_SIZE = 3;
const DEFAULT_NAME_PREFIX = 'todo-cluster';
const DIST_PORT_OFFSET = 20_000;
const MAX_PORT = 65_535;
const LOOPBACK = '127.0.0.1';

const RABBITMQ_USER = 'rabbitmq';
const RABBITMQ_HOME = '/var/lib/rabbitmq';
const RABBITMQ_SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';
const RABBITMQCTL = '/usr/lib/rabbitmq/bin/rabbitmqctl';
const BEAM_COMMAND = 'beam.smp';
/** Marks a base directory as this script's, so nothing is deleted from a directory it did not make. */
const MARKER_FILE = '.todo-rabbitmq-cluster';

const CTL_TIMEOUT_MS = 120_000;
const LAUNCH_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 60_000;
const BOOT_TIMEOUT_MS = 120_000;
const EXIT_TIMEOUT_MS = 30_000;
const AMQP_CONNECT_TIMEOUT_MS = 5_000;
/** How long a launched node may take to show its Erlang VM before the launch counts as failed. */
const LAUNCH_GRACE_MS = 10_000;
const POLL_INTERVAL_MS = 250;
const LOG_TAIL_LINES = 30;

export interface ClusterNode {
  index: number;
  name: string;
  amqpPort: number;
  distPort: number;
  /** amqp://guest:guest@127.0.0.1:<port> — guest may log in over loopback only. */
  url: string;
  /** The node's own directory: config, plugins file, data, logs, pid file. */
  dir: string;
}

export interface ClusterOptions {
  baseDir?: string;
  basePort?: number;
  /** Default 3; 1 starts a single node and joins nothing. */
  size?: number;
  namePrefix?: string;
}

type ClusterSettings = Required<ClusterOptions>;

function integerFromEnv(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`${name} must be a port number, not '${value}'`);
  return Number(value);
}

function clusterSettings(options: ClusterOptions): ClusterSettings {
  const settings: ClusterSettings = {
    baseDir: options.baseDir ?? (process.env.RABBITMQ_CLUSTER_DIR || DEFAULT_BASE_DIR),
    basePort: options.basePort ?? integerFromEnv('RABBITMQ_CLUSTER_BASE_PORT') ?? DEFAULT_BASE_PORT,
    size: options.size ?? DEFAULT_SIZE,
    namePrefix: options.namePrefix ?? DEFAULT_NAME_PREFIX,
  };
  if (!isAbsolute(settings.baseDir) || settings.baseDir === '/')
    throw new Error(`baseDir must be an absolute directory below /: ${settings.baseDir}`);
  if (!Number.isInteger(settings.size) || settings.size < 1) throw new Error(`size must be a positive integer: ${settings.size}`);
  const lastDistPort = settings.basePort + settings.size - 1 + DIST_PORT_OFFSET;
  if (!Number.isInteger(settings.basePort) || settings.basePort < 1 || lastDistPort > MAX_PORT) {
    throw new Error(
      `basePort ${settings.basePort} leaves no room for ${settings.size} AMQP ports and their distribution ports (+${DIST_PORT_OFFSET})`,
    );
  }
  if (!/^[A-Za-z0-9_-]+$/.test(settings.namePrefix))
    throw new Error(`namePrefix may hold letters, digits, '-' and '_' only: ${settings.namePrefix}`);
  return settings;
}

/** The nodes of a cluster, computed (nothing is started or checked). */
export function clusterNodes(options: ClusterOptions = {}): ClusterNode[] {
  const { baseDir, basePort, size, namePrefix } = clusterSettings(options);
  const host = hostname().split('.')[0];
  return Array.from({ length: size }, (_, offset) => {
    const amqpPort = basePort + offset;
    const shortName = `${namePrefix}-${amqpPort}`;
    return {
      index: offset + 1,
      name: `${shortName}@${host}`,
      amqpPort,
      distPort: amqpPort + DIST_PORT_OFFSET,
      url: `amqp://guest:guest@${LOOPBACK}:${amqpPort}`,
      dir: join(baseDir, shortName),
    };
  });
}

// --- Paths and environment of one node ---------------------------------------------------

const nodePaths = (node: ClusterNode) => ({
  config: join(node.dir, 'rabbitmq.conf'),
  advancedConfig: join(node.dir, 'advanced.config'),
  envFile: join(node.dir, 'rabbitmq-env.conf'),
  enabledPlugins: join(node.dir, 'enabled_plugins'),
  mnesiaBase: join(node.dir, 'mnesia'),
  mnesiaDir: join(node.dir, 'mnesia', node.name),
  logBase: join(node.dir, 'log'),
  log: join(node.dir, 'log', `${node.name}.log`),
  pidFile: join(node.dir, `${node.name}.pid`),
});

/**
 * Everything the node reads is its own: in particular not /etc/rabbitmq/rabbitmq.conf (it
 * pins the listener to 5672), rabbitmq-env.conf (it names the main node) or enabled_plugins.
 */
function nodeEnvironment(node: ClusterNode): Record<string, string> {
  const paths = nodePaths(node);
  return {
    RABBITMQ_NODENAME: node.name,
    RABBITMQ_CONFIG_FILE: paths.config,
    RABBITMQ_ADVANCED_CONFIG_FILE: paths.advancedConfig,
    RABBITMQ_CONF_ENV_FILE: paths.envFile,
    RABBITMQ_ENABLED_PLUGINS_FILE: paths.enabledPlugins,
    RABBITMQ_DIST_PORT: String(node.distPort),
    RABBITMQ_MNESIA_BASE: paths.mnesiaBase,
    RABBITMQ_MNESIA_DIR: paths.mnesiaDir,
    RABBITMQ_LOG_BASE: paths.logBase,
    RABBITMQ_PID_FILE: paths.pidFile,
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: `-kernel inet_dist_use_interface {${LOOPBACK.replace(/\./g, ',')}}`,
    ERL_EPMD_ADDRESS: LOOPBACK,
  };
}

function writeNodeFiles(node: ClusterNode): void {
  const paths = nodePaths(node);
  mkdirSync(paths.mnesiaBase, { recursive: true });
  mkdirSync(paths.logBase, { recursive: true });
  writeFileSync(paths.config, `listeners.tcp.default = ${LOOPBACK}:${node.amqpPort}\n`);
  writeFileSync(paths.enabledPlugins, '[].\n');
  writeFileSync(paths.envFile, '# Empty on purpose: the node is configured by its environment (scripts/rabbitmq-cluster.ts).\n');
}

// --- Running commands as the rabbitmq user --------------------------------------------------

function asRabbitmqUser(command: string, args: string[], env: Record<string, string> = {}): [string, string[]] {
  if (process.getuid?.() !== 0) throw new Error('run as root: the cluster nodes are started as the rabbitmq user with runuser');
  const assignments = Object.entries({ HOME: RABBITMQ_HOME, ...env }).map(([name, value]) => `${name}=${value}`);
  return ['runuser', ['-u', RABBITMQ_USER, '--', 'env', ...assignments, command, ...args]];
}

/** The caller's RABBITMQ_* variables must not reach the nodes or the CLI. */
const cleanEnvironment = (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C.UTF-8' });

function failure(what: string, error: unknown): Error {
  const { stderr, stdout } = error as { stderr?: string; stdout?: string };
  const output = (stderr || stdout || '').trim();
  return new Error(
    `${what} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}${output ? `\n${output}` : ''}`,
  );
}

async function rabbitmqctl(nodeName: string, args: string[], timeoutMs = CTL_TIMEOUT_MS): Promise<string> {
  const [command, commandArgs] = asRabbitmqUser(RABBITMQCTL, ['-n', nodeName, ...args]);
  try {
    return (await run(command, commandArgs, { timeout: timeoutMs, cwd: RABBITMQ_HOME, env: cleanEnvironment() })).stdout;
  } catch (error) {
    throw failure(`rabbitmqctl -n ${nodeName} ${args.join(' ')}`, error);
  }
}

/** `rabbitmqctl -n <node> ...args`, as the rabbitmq user; resolves to its standard output. */
export function nodeCtl(node: ClusterNode, ...args: string[]): Promise<string> {
  return rabbitmqctl(node.name, args);
}

// --- Finding a node's Erlang VM -----------------------------------------------------------

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** A beam.smp started with this node's name and data directory (a zombie has no environment, so it does not count). */
function isNodeBeam(pid: number, node: ClusterNode): boolean {
  if (readText(`/proc/${pid}/comm`)?.trim() !== BEAM_COMMAND) return false;
  const environment = readText(`/proc/${pid}/environ`)?.split('\0') ?? [];
  return (
    environment.includes(`RABBITMQ_NODENAME=${node.name}`) && environment.includes(`RABBITMQ_MNESIA_BASE=${nodePaths(node).mnesiaBase}`)
  );
}

/** The node's VM: the pid file's, checked, or else found among all processes (the pid file may be gone or stale). */
function beamPid(node: ClusterNode): number | undefined {
  const fromFile = Number(readText(nodePaths(node).pidFile)?.trim());
  if (Number.isInteger(fromFile) && fromFile > 0 && isNodeBeam(fromFile, node)) return fromFile;
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .find((pid) => isNodeBeam(pid, node));
}

function logTail(node: ClusterNode): string {
  return (readText(nodePaths(node).log) ?? '(no log)').trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
}

// --- Waiting ---------------------------------------------------------------------------------

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds; throws `describe()` once `timeoutMs` has passed. */
async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(describe());
    await pause(POLL_INTERVAL_MS);
  }
}

const succeeds = (attempt: () => Promise<unknown>): Promise<boolean> =>
  attempt().then(
    () => true,
    () => false,
  );

async function acceptsGuest(node: ClusterNode): Promise<boolean> {
  try {
    const connection = await amqplib.connect(node.url, { timeout: AMQP_CONNECT_TIMEOUT_MS });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

async function acceptsTcp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: LOOPBACK });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: LOOPBACK, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function assertPortsFree(nodes: ClusterNode[]): Promise<void> {
  const ports = nodes.flatMap((node) => [node.amqpPort, node.distPort]);
  const taken = (await Promise.all(ports.map(async (port) => ((await portFree(port)) ? undefined : port)))).filter(
    (port) => port !== undefined,
  );
  if (taken.length > 0) {
    throw new Error(
      `port(s) ${taken.join(', ')} on ${LOOPBACK} already in use; choose others with RABBITMQ_CLUSTER_BASE_PORT (or basePort)`,
    );
  }
}

// --- One node ---------------------------------------------------------------------------------

async function launch(node: ClusterNode): Promise<void> {
  const [command, args] = asRabbitmqUser(RABBITMQ_SERVER, ['-detached'], nodeEnvironment(node));
  try {
    await run(command, args, { timeout: LAUNCH_TIMEOUT_MS, cwd: RABBITMQ_HOME, env: cleanEnvironment() });
  } catch (error) {
    throw failure(`starting ${node.name}`, error);
  }
}

/** Throws, with the node's log, once its VM has gone; a VM just launched has a moment to appear. */
function assertAlive(node: ClusterNode, since: number): void {
  if (beamPid(node) === undefined && Date.now() - since > LAUNCH_GRACE_MS)
    throw new Error(`${node.name} exited while booting:\n${logTail(node)}`);
}

/**
 * Until the rabbit application runs and AMQP accepts guest. The distribution port is polled
 * first because it costs nothing, whereas every rabbitmqctl call boots a VM of its own (half
 * a CPU-second), which would slow the booting nodes down.
 */
async function awaitReady(node: ClusterNode): Promise<void> {
  const since = Date.now();
  const timedOut = (what: string) => () => `${node.name}: ${what} within ${BOOT_TIMEOUT_MS} ms\n${logTail(node)}`;
  await waitFor(
    () => {
      assertAlive(node, since);
      return acceptsTcp(node.distPort);
    },
    BOOT_TIMEOUT_MS,
    timedOut('no distribution listener'),
  );
  const awaitStartup = () =>
    rabbitmqctl(node.name, ['await_startup', '--timeout', String(BOOT_TIMEOUT_MS / 1000)], BOOT_TIMEOUT_MS + CTL_TIMEOUT_MS);
  await waitFor(
    () => {
      assertAlive(node, since);
      return succeeds(awaitStartup);
    },
    BOOT_TIMEOUT_MS,
    timedOut('not started'),
  );
  await waitFor(() => acceptsGuest(node), BOOT_TIMEOUT_MS, timedOut(`${node.url} refusing guest`));
}

/** `rabbitmqctl stop_app`: the VM stays up (and in epmd); the node leaves the running nodes. */
export async function stopApp(node: ClusterNode): Promise<void> {
  await nodeCtl(node, 'stop_app');
}

/** `start_app`, then waits for the rabbit application and for AMQP to accept guest. */
export async function startApp(node: ClusterNode): Promise<void> {
  await nodeCtl(node, 'start_app');
  await awaitReady(node);
}

/** SIGKILL to this node's Erlang VM (never any other process); resolves once it has gone. */
export async function killNode(node: ClusterNode): Promise<void> {
  const pid = beamPid(node);
  if (pid === undefined) return;
  process.kill(pid, 'SIGKILL');
  await waitForExit(node, pid);
}

/**
 * Gone, or a zombie none of whose threads still runs. The main thread of a killed VM exits
 * first (its environment, and so `beamPid`, vanish at once) while the others may still hold
 * its listening sockets for a moment, long enough for a restart to find its ports taken.
 */
function processGone(pid: number): boolean {
  const status = readText(`/proc/${pid}/status`);
  if (status === undefined) return true;
  return /^State:\s+Z/m.test(status) && Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 0) <= 1;
}

async function waitForExit(node: ClusterNode, pid: number): Promise<void> {
  await waitFor(
    () => processGone(pid),
    EXIT_TIMEOUT_MS,
    () => `${node.name}'s Erlang VM still runs after ${EXIT_TIMEOUT_MS} ms`,
  );
}

/**
 * Starts a stopped or killed node with its own environment and data, so it rejoins its
 * cluster by itself, and waits until it is ready. A node whose VM still runs gets `start_app`
 * (a no-op if the application runs too).
 */
export async function startNode(node: ClusterNode): Promise<void> {
  if (beamPid(node) !== undefined) return startApp(node);
  await assertPortsFree([node]);
  await launch(node);
  await awaitReady(node);
}

/** `rabbitmqctl stop`, or SIGKILL if the node does not answer; a node not running is left alone. */
async function stopNode(node: ClusterNode): Promise<void> {
  const pid = beamPid(node);
  if (pid === undefined) return;
  try {
    await rabbitmqctl(node.name, ['stop'], STOP_TIMEOUT_MS);
  } catch {
    await killNode(node);
  }
  await waitForExit(node, pid);
}

// --- The cluster ------------------------------------------------------------------------------

interface ClusterStatus {
  running_nodes: string[];
  disk_nodes: string[];
}

async function clusterStatus(node: ClusterNode): Promise<ClusterStatus> {
  return JSON.parse(await nodeCtl(node, 'cluster_status', '--formatter', 'json')) as ClusterStatus;
}

/**
 * The running nodes as one of the cluster's nodes sees them: preferably a node that counts
 * itself among them (a node whose application is stopped knows less); [] if none answers.
 */
export async function runningNodes(options: ClusterOptions = {}): Promise<string[]> {
  let fallback: string[] | undefined;
  for (const node of clusterNodes(options)) {
    const status = await clusterStatus(node).catch(() => undefined);
    if (status?.running_nodes.includes(node.name)) return status.running_nodes;
    fallback ??= status?.running_nodes;
  }
  return fallback ?? [];
}

const allRunning = (nodes: ClusterNode[], running: string[]) => nodes.every((node) => running.includes(node.name));

function prepareBaseDir(baseDir: string): void {
  if (existsSync(baseDir) && !existsSync(join(baseDir, MARKER_FILE)) && readdirSync(baseDir).length > 0) {
    throw new Error(`${baseDir} exists and is not this script's (no ${MARKER_FILE}); choose another RABBITMQ_CLUSTER_DIR`);
  }
  mkdirSync(baseDir, { recursive: true, mode: 0o755 });
  writeFileSync(join(baseDir, MARKER_FILE), '');
}

async function giveToRabbitmq(baseDir: string, nodes: ClusterNode[]): Promise<void> {
  await run('chown', [`${RABBITMQ_USER}:${RABBITMQ_USER}`, baseDir], { timeout: CTL_TIMEOUT_MS });
  await run('chown', ['-R', `${RABBITMQ_USER}:${RABBITMQ_USER}`, ...nodes.map((node) => node.dir)], { timeout: CTL_TIMEOUT_MS });
}

async function joinCluster(node: ClusterNode, seed: ClusterNode): Promise<void> {
  await stopApp(node);
  await nodeCtl(node, 'join_cluster', seed.name);
  await startApp(node);
}

/**
 * Starts the nodes not running (in parallel: a node that was clustered waits for its peers
 * at boot), joins to the first node every node not yet a member of its cluster, and waits
 * until all run. Idempotent: an existing cluster is returned as it is.
 */
export async function clusterUp(options: ClusterOptions = {}): Promise<ClusterNode[]> {
  const nodes = clusterNodes(options);
  if (allRunning(nodes, await runningNodes(options))) return nodes;
  const { baseDir } = clusterSettings(options);
  const stopped = nodes.filter((node) => beamPid(node) === undefined);
  await assertPortsFree(stopped);
  prepareBaseDir(baseDir);
  stopped.forEach(writeNodeFiles);
  await giveToRabbitmq(baseDir, nodes);
  await Promise.all(stopped.map(launch));
  await Promise.all(nodes.map(awaitReady));
  const [seed, ...others] = nodes;
  for (const node of others) {
    if (!(await clusterStatus(seed)).disk_nodes.includes(node.name)) await joinCluster(node, seed);
  }
  let running: string[] = [];
  await waitFor(
    async () => allRunning(nodes, (running = await runningNodes(options))),
    BOOT_TIMEOUT_MS,
    () => `the cluster runs only ${running.join(', ') || 'no node'}`,
  );
  return nodes;
}

/** Deletes the nodes' directories, and the base directory once nothing else is left in it. */
function removeNodeDirs(baseDir: string, nodes: ClusterNode[]): void {
  if (!existsSync(baseDir)) return;
  if (!existsSync(join(baseDir, MARKER_FILE)))
    throw new Error(`not deleting anything in ${baseDir}: it is not this script's (no ${MARKER_FILE})`);
  nodes.forEach((node) => rmSync(node.dir, { recursive: true, force: true }));
  if (readdirSync(baseDir).every((entry) => entry === MARKER_FILE)) rmSync(baseDir, { recursive: true, force: true });
}

/** Stops the cluster's nodes (only those) and deletes their data. Idempotent. */
export async function clusterDown(options: ClusterOptions = {}): Promise<void> {
  const nodes = clusterNodes(options);
  await Promise.all(nodes.map(stopNode));
  removeNodeDirs(clusterSettings(options).baseDir, nodes);
}

// --- Command line --------------------------------------------------------------------------------

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

const describeNodes = (nodes: ClusterNode[], state: (node: ClusterNode) => string) =>
  nodes.map((node) => `  ${[node.name, node.url, `(dist ${node.distPort})`, state(node)].filter(Boolean).join('  ')}\n`).join('');

async function up(): Promise<number> {
  const started = Date.now();
  const nodes = clusterNodes();
  const wasUp = allRunning(nodes, await runningNodes());
  await clusterUp();
  process.stdout.write(`RabbitMQ cluster ${wasUp ? 'already up' : `up in ${seconds(started)}`}:\n${describeNodes(nodes, () => '')}`);
  return 0;
}

async function down(): Promise<number> {
  const started = Date.now();
  await clusterDown();
  process.stdout.write(`RabbitMQ cluster down in ${seconds(started)}\n`);
  return 0;
}

async function status(): Promise<number> {
  const nodes = clusterNodes();
  const running = await runningNodes();
  const state = (node: ClusterNode) =>
    running.includes(node.name) ? 'running' : beamPid(node) === undefined ? 'down' : 'VM up, not running in the cluster';
  process.stdout.write(describeNodes(nodes, state));
  return allRunning(nodes, running) ? 0 : 1;
}

const COMMANDS: Record<string, () => Promise<number>> = { up, down, status };

const CLUSTER: Cli = {
  usage: ['npm run cluster:up', 'npm run cluster:status', 'npm run cluster:down'],
  summary:
    `A RabbitMQ cluster of ${DEFAULT_SIZE} nodes on this machine, beside its own broker (which it never touches), for ` +
    'the tests and benchmarks that need one (quorum queues, a node stopped or killed under load). Runs as root; the ' +
    "nodes run as the rabbitmq user and share its Erlang cookie. Point the services at it with AMQP_URLS (every node's " +
    'URL) and QUEUE_TYPE=quorum (docs/running-at-scale.md).',
  arguments: [
    ['up', 'start the nodes and join them; reports and exits 0 if already up'],
    ['status', 'each node and whether it runs in the cluster; exits 1 unless all do'],
    ['down', 'stop the nodes and delete their directories; exits 0 if none runs'],
  ],
  environment: {
    RABBITMQ_CLUSTER_DIR: `where the nodes keep their config, data and logs (default ${DEFAULT_BASE_DIR})`,
    RABBITMQ_CLUSTER_BASE_PORT:
      `the first node's AMQP port (default ${DEFAULT_BASE_PORT}: AMQP on ${DEFAULT_BASE_PORT}-${DEFAULT_BASE_PORT + DEFAULT_SIZE - 1}, ` +
      `distribution on ${DEFAULT_BASE_PORT + DIST_PORT_OFFSET}-${DEFAULT_BASE_PORT + DIST_PORT_OFFSET + DEFAULT_SIZE - 1})`,
  },
};

if (require.main === module) {
  const [name, ...extra] = readCommandLine(CLUSTER).positionals;
  const command = COMMANDS[name ?? ''];
  if (command === undefined) refuse(CLUSTER, name === undefined ? 'say which: up, status or down' : `unknown command ${name}`);
  if (extra.length > 0) refuse(CLUSTER, `unexpected argument ${extra[0]}`);
  command().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
