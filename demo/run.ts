/**
 * `npm run demo -- <claim> [--flag value …]`: each demo measures one row of the seed's V5-vs-V6
 * table, the real platform (V6) against a synchronous V5 baseline (demo/v5/) in the same run,
 * on the same machine, PostgreSQL and SMTP sink, and prints a table of what it measured.
 *
 *   coupling      add a consumer while the producer runs      --rate --seconds-before --seconds-after
 *   blocking      producer latency with a slow mail step      --rate --seconds --delay-ms
 *   isolation     notification service down under load        --rate --seconds-before --outage-seconds --seconds-after
 *   consistency   lag, and read-your-own-writes               --rate --seconds
 *   traceability  one correlation id's story                  (no sizes)
 *   all           every one of them, in that order
 *
 * RabbitMQ and PostgreSQL must be running (as for the tests). Every demo takes down what
 * it opened (vhost, schemas, processes), also on Ctrl-C.
 */
import { blocking } from './claims/blocking.demo';
import { consistency } from './claims/consistency.demo';
import { coupling } from './claims/coupling.demo';
import { isolation } from './claims/isolation.demo';
import { traceability } from './claims/traceability.demo';
import { runCleanups } from './support/cleanup';
import { Options, parseFlags } from './support/options';
import { DemoReport, publish } from './support/report';

const DEMOS: Record<string, (options: Options) => Promise<DemoReport>> = { coupling, blocking, isolation, consistency, traceability };

async function main(): Promise<void> {
  const [claim, ...rest] = process.argv.slice(2);
  const names = claim === 'all' ? Object.keys(DEMOS) : [claim];
  if (!claim || names.some((name) => !DEMOS[name])) {
    process.stderr.write(`usage: npm run demo -- <${[...Object.keys(DEMOS), 'all'].join('|')}> [--flag value …]\n`);
    process.exitCode = 2;
    return;
  }
  const flags = parseFlags(rest);
  for (const name of names) {
    const startedAt = new Date();
    process.stderr.write(`demo ${name}: running (${startedAt.toISOString()})\n`);
    await publish(await DEMOS[name](new Options(flags)), startedAt);
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
