import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

/** Nothing answers there: a tool that connects instead of answering --help fails, or hangs until the timeout. */
const NOWHERE = 'nobody:nothing@127.0.0.1:1';
const NO_INFRASTRUCTURE: Record<string, string> = {
  AMQP_URL: `amqp://${NOWHERE}`,
  BROKER_ADMIN_URL: `amqp://${NOWHERE}`,
  TEST_AMQP_BASE_URL: `amqp://${NOWHERE}`,
  DATABASE_URL: `postgres://${NOWHERE}/nothing`,
  PG_ADMIN_URL: `postgres://${NOWHERE}/nothing`,
  TEST_DATABASE_URL: `postgres://${NOWHERE}/nothing`,
  // And a configuration no service or tool accepts.
  JWT_TTL_SECONDS: 'soon',
  QUEUE_TYPE: 'sideways',
};

/** The flags each tool takes, which its usage must list. */
const FLAGS: Record<string, string[]> = {
  rebuild: ['--batch-size'],
  'broker:setup': ['--write'],
  'broker:migrate-queues': ['--to', '--service'],
  'check:image': ['--context', '--keep'],
  dlq: ['--json', '--id', '--all', '--limit', '--dry-run', '--yes'],
  demo: ['--rate', '--seconds', '--seconds-before', '--seconds-after', '--outage-seconds', '--delay-ms', '--warmup-seconds'],
};

/** What running a tool's --help must leave untouched. */
const GENERATED = ['docs/asyncapi.json', 'docker/rabbitmq/definitions.json', 'docker/postgres/service-roles.sql'];

interface Tool {
  /** The npm scripts that run it. */
  scripts: string[];
  command: string;
}

/**
 * Every `node …` command of package.json's scripts (a script of several commands gives each),
 * once each: a command that differs only by the variables set before it runs the same tool.
 */
function tools(): Tool[] {
  const byCommand = new Map<string, Tool>();
  for (const [name, script] of Object.entries(scripts)) {
    for (const part of script.split('&&').map((p) => p.trim())) {
      const command = part.replace(/^([A-Z_][A-Z0-9_]*=\S*\s+)+/, '');
      if (!command.startsWith('node ')) continue;
      const tool = byCommand.get(command) ?? { scripts: [], command };
      tool.scripts.push(name);
      byCommand.set(command, tool);
    }
  }
  return [...byCommand.values()];
}

/** dlq.js builds the CLI first when a source changed (test/cli-builds.e2e-spec.ts); here its sources run as they are. */
const asRun = (command: string) =>
  command === 'node scripts/dlq.js' ? 'node -r ./scripts/register-ts.js apps/dead-letter-cli/src/main.ts' : command;

interface Answer {
  code: number | null;
  stdout: string;
  stderr: string;
}

function help(tool: Tool): Promise<Answer> {
  return new Promise((resolve) => {
    execFile(
      '/bin/sh',
      ['-c', `${asRun(tool.command)} --help`],
      { cwd: ROOT, env: { ...process.env, ...NO_INFRASTRUCTURE }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

/** Runs `run` over `items`, `size` at a time. */
async function inPool<T, R>(items: T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await run(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return results;
}

describe('every command-line tool of package.json', () => {
  const all = tools();
  const answers = new Map<Tool, Answer>();
  const generatedAt = GENERATED.map((file) => statSync(join(ROOT, file)).mtimeMs);

  beforeAll(async () => {
    // Most load the repository's TypeScript on the fly (register-ts): a few seconds of CPU each.
    const results = await inPool(all, Math.max(2, availableParallelism()), help);
    all.forEach((tool, i) => answers.set(tool, results[i]));
  }, 300_000);

  it('covers the tools behind the scripts, composite ones included', () => {
    const named = all.flatMap((t) => t.scripts);
    for (const script of ['start', 'setup:local', 'rebuild', 'migration:show', 'demo', 'bench', 'broker:setup', 'dlq', 'cluster:up']) {
      expect(named).toContain(script);
    }
  });

  it.each(all.map((tool) => [tool.scripts.join(', '), tool] as const))(
    'npm run %s -- --help prints its usage, flags and environment on stdout and exits 0, with no broker, database or valid configuration',
    (_, tool) => {
      const answer = answers.get(tool)!;
      expect({ code: answer.code, stderr: answer.stderr }).toEqual({ code: 0, stderr: '' });
      expect(answer.stdout).toMatch(/^usage: /i);
      expect(answer.stdout).toMatch(/^Options:$/m);
      expect(answer.stdout).toContain('--help');
      expect(answer.stdout).toMatch(/^Environment/m);
      for (const flag of tool.scripts.flatMap((script) => FLAGS[script] ?? [])) expect(answer.stdout).toContain(flag);
    },
  );

  it('leaves the generated files alone', () => {
    expect(GENERATED.map((file) => statSync(join(ROOT, file)).mtimeMs)).toEqual(generatedAt);
  });
});
