/**
 * `npm run demo -- <demo> [--<flag> <n>]…`: each demo measures one row of the seed's V5-vs-V6
 * table, the real platform (V6) against a synchronous V5 baseline (demo/v5/) in the same run,
 * on the same machine, PostgreSQL and SMTP sink, and prints a table of what it measured.
 * The demos and their flags: support/demo-flags.ts, and `npm run demo -- --help`.
 *
 * RabbitMQ and PostgreSQL must be running (as for the tests). Every demo takes down what
 * it opened (vhost, schemas, processes), also on Ctrl-C.
 */
import { Cli, readCommandLine, refuse } from '../scripts/cli-usage';
import { runCleanups } from './support/cleanup';
import { DEMO_FLAGS, DemoFlag, DemoName, flagVariable } from './support/demo-flags';

const NAMES = Object.keys(DEMO_FLAGS) as DemoName[];
const declared = (name: DemoName): Record<string, DemoFlag> => DEMO_FLAGS[name].flags;
const FLAGS = [...new Set(NAMES.flatMap((name) => Object.keys(declared(name))))];

const DEMO: Cli = {
  usage: [`npm run demo -- <${[...NAMES, 'all'].join('|')}> [--<flag> <n>]…`],
  summary:
    "Each demo measures one row of the seed's V5-vs-V6 table: the real platform (V6) against a synchronous V5 " +
    'baseline (demo/v5/) in the same run, on the same machine, PostgreSQL and SMTP sink, and prints a table of what ' +
    'it measured (results in demo/results/, charts in docs/demos/). RabbitMQ and PostgreSQL must be running (as for ' +
    'the tests). Every demo takes down what it opened (vhost, schemas, processes), also on Ctrl-C.',
  arguments: [
    ...NAMES.map((name): [string, string] => {
      const flags = Object.keys(declared(name)).map((flag) => `--${flag}`);
      return [name, `${DEMO_FLAGS[name].summary} (${flags.length > 0 ? flags.join(' ') : 'no flags'})`];
    }),
    ['all', 'every one of them, in that order'],
  ],
  options: Object.fromEntries(
    FLAGS.map((flag) => {
      const users = NAMES.filter((name) => Object.hasOwn(declared(name), flag));
      const meaning = declared(users[0])[flag].meaning;
      const defaults = users.map((name) => `${name} ${declared(name)[flag].default}`).join(', ');
      return [flag, { type: 'string', value: '<n>', description: `${meaning} (default ${defaults})` }];
    }),
  ),
  environment: {
    'DEMO_<FLAG>': `a flag's value when it is not given, e.g. ${flagVariable('seconds-before')}=4 for --seconds-before 4`,
    DEMO_OUT: 'write the results and charts to this directory instead (the smoke run does)',
    TEST_AMQP_BASE_URL: 'RabbitMQ, as an administrator (default amqp://guest:guest@127.0.0.1:5672)',
    TEST_DATABASE_URL: 'PostgreSQL, as an administrator (default postgres://postgres@127.0.0.1:5432/postgres)',
  },
};

async function main(): Promise<void> {
  const { values, positionals } = readCommandLine(DEMO);
  const [claim, ...extra] = positionals;
  if (claim === undefined) refuse(DEMO, 'say which demo to run');
  if (extra.length > 0) refuse(DEMO, `one demo at a time (also given: ${extra.join(' ')})`);
  const names = claim === 'all' ? NAMES : [claim as DemoName];
  if (!names.every((name) => Object.hasOwn(DEMO_FLAGS, name))) refuse(DEMO, `unknown demo ${claim}`);
  const given = Object.keys(values);
  const unused = given.filter((flag) => !names.some((name) => Object.hasOwn(declared(name), flag)));
  if (unused.length > 0) refuse(DEMO, `${names.join(', ')} has no flag ${unused.map((f) => `--${f}`).join(', ')}`);

  // Loaded only now: the demos bring the whole platform with them, which --help does not need.
  const { runDemo } = await import('./support/run-demo');
  const { publish } = await import('./support/report');
  for (const name of names) {
    const startedAt = new Date();
    process.stderr.write(`demo ${name}: running (${startedAt.toISOString()})\n`);
    await publish(await runDemo(name, values as Record<string, string | undefined>), startedAt);
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`demo: ${signal}, cleaning up\n`);
    void runCleanups().finally(() => process.exit(130));
  });
}

let crashed = false;
process.on('uncaughtException', (error) => {
  process.stderr.write(`demo: uncaught ${error.stack ?? String(error)}\n`);
  if (crashed) return;
  crashed = true;
  void runCleanups().finally(() => process.exit(1));
});

main()
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => void runCleanups().finally(() => process.exit()));
