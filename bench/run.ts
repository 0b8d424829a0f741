/**
 * `npm run bench`: every benchmark case in one run, one table, one JSON file.
 *
 * RabbitMQ and PostgreSQL must be running (as for the tests); each case isolates itself in
 * a vhost / schemas of its own and removes them afterwards. Each case warms up, then
 * measures BENCH_RUNS runs (default 3) and reports their median, against a raw baseline
 * measured in the same run where a case has a ratio target.
 *
 *   npm run bench                              → bench/results/latest.json
 *   npm run bench:smoke                        (BENCH_SMOKE=1: a few seconds per case) → bench/results/smoke.json
 *   BENCH_ONLY=messaging,relay npm run bench   → bench/results/latest-messaging-relay.json
 *
 * Cases: messaging (1), consumer-ack (1b), relay (2), consumer (3), command (4), http (4b),
 * e2e (5, 7), backlog (6), saga (the order flow against its synchronous form), aggregate (no target),
 * replication (8: one node classic and quorum, a three-node cluster; no target),
 * appends (9: appends/s with 1, 2 and 4 todo-service instances on one PostgreSQL; no target).
 *
 * Exit code 1 if a case crashed; a missed target is shown (✗) but does not fail the run.
 */
import { aggregateCases } from './aggregate-load.bench';
import { appendsCases } from './appends.bench';
import { consumerAckCases } from './consumer-ack.bench';
import { endToEndCases } from './end-to-end.bench';
import { messagingCases } from './messaging.bench';
import { pipelineCases } from './pipeline.bench';
import { replicationCases } from './replication.bench';
import { sagaCases } from './saga.bench';
import { runBench } from './support/harness';

void runBench([
  ...messagingCases,
  ...consumerAckCases,
  ...pipelineCases,
  ...endToEndCases,
  ...sagaCases,
  ...aggregateCases,
  ...replicationCases,
  ...appendsCases,
]);
