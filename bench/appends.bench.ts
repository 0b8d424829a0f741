/**
 * What more todo-service instances buy on one PostgreSQL: appends per second with 1, 2
 * and 4 instances of todo-service (real processes, compiled) sharing one schema, the
 * same closed-loop load of `POST /todos` spread round-robin over them. Each create is one
 * aggregate append (the stream's version check, the event row and its outbox entry in
 * one transaction), so appends/s is created todos per second, counted in the event store.
 *
 * The baseline is one instance in the same run; the rows for 2 and 4 are ratios against
 * it. No target: the figure is what docs/running-at-scale.md states for this machine.
 *
 *   npm run bench                      (BENCH_ONLY=appends for this one)
 */
import http from 'node:http';
import { Client } from 'pg';
import { postJson } from './end-to-end.bench';
import { bearer } from './support/auth';
import { BenchCase, BenchRow, BenchSettings } from './support/bench-case';
import { median } from './support/harness';
import { RunningService, buildServices } from './support/service-runner';
import { openStack } from './support/stack';

const GROUP = '9 appends';
const INSTANCES = [1, 2, 4];
/** Requests in flight at once, whatever the number of instances. */
const CONCURRENCY = 32;

/** Creates todos for `seconds`, CONCURRENCY at a time, over `instances`; returns appends/s. */
async function drive(instances: RunningService[], token: string, seconds: number, count: () => Promise<number>): Promise<number> {
  // As many sockets per instance as it has requests in flight, reused in turn: a socket left idle
  // past the server's keep-alive timeout (5 s) would be closed under a request sent on it.
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.ceil(CONCURRENCY / instances.length), scheduling: 'fifo' });
  const body = JSON.stringify({ title: 'append', priority: 'medium' });
  const headers = bearer(token);
  const before = await count();
  const started = performance.now();
  const until = started + seconds * 1000;
  let next = 0;
  const failures: Record<number, number> = {};
  try {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < until) {
          const instance = instances[next++ % instances.length];
          const status = await postJson(agent, instance.port, '/todos', body, headers);
          if (status !== 201) failures[status] = (failures[status] ?? 0) + 1;
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  const elapsed = (performance.now() - started) / 1000;
  if (Object.keys(failures).length > 0) throw new Error(`POST /todos answered ${JSON.stringify(failures)}`);
  return ((await count()) - before) / elapsed;
}

async function appends(settings: BenchSettings): Promise<BenchRow[]> {
  const seconds = settings.smoke ? 1 : 10;
  const build = await buildServices();
  const stack = await openStack(settings, build, 'appends');
  try {
    const [first] = await stack.start('todo-service');
    const instances: RunningService[] = [first];
    const db = new Client({ connectionString: settings.databaseUrl });
    await db.connect();
    const count = async () =>
      Number(
        (await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${stack.schemas.todo}.events WHERE event_type = 'todo.created'`)).rows[0]
          .n,
      );
    const results: Record<number, number[]> = {};
    try {
      for (const n of INSTANCES) {
        while (instances.length < n) instances.push(await stack.startAnother('todo-service'));
        // A short warm-up per size (connections, JIT), then the measured runs.
        await drive(instances, stack.tokens.demo, settings.smoke ? 0.5 : 2, count);
        results[n] = [];
        for (let run = 0; run < settings.runs; run++) results[n].push(await drive(instances, stack.tokens.demo, seconds, count));
      }
    } finally {
      await db.end();
    }
    const row = (n: number) => ({ name: `${n} todo-service instance${n > 1 ? 's' : ''}`, value: median(results[n]), samples: results[n] });
    const note = `${CONCURRENCY} POST /todos in flight, round-robin over the instances, ${seconds} s per run; one PostgreSQL, the same machine`;
    return INSTANCES.map((n) => ({
      group: GROUP,
      unit: 'appends/s',
      note,
      ...row(n),
      ...(n !== INSTANCES[0] && { baseline: row(INSTANCES[0]) }),
    }));
  } finally {
    await stack.dispose();
    await build.dispose();
  }
}

export const appendsCases: BenchCase[] = [{ id: 'appends', run: appends }];
