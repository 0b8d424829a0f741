import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { OutboxEntry, toOutgoingMessage } from '@todo/event-store';
import { PLATFORM_TOPOLOGY } from '@todo/messaging';
import { queryIn } from './postgres';

/**
 * Every message a test platform sent, checked against the published AsyncAPI document
 * (docs/asyncapi.json) by an independent validator (ajv), not by the platform's own
 * rules: the document cannot drift from what goes on the wire. What is checked is each
 * outbox entry as the relay turns it into an AMQP message: its body and its headers.
 */
interface Validators {
  payload: ValidateFunction;
  headers: ValidateFunction;
}

let compiled: Map<string, Validators> | undefined;

function validators(): Map<string, Validators> {
  if (compiled) return compiled;
  const document = JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'asyncapi.json'), 'utf8')) as {
    components: { messages: Record<string, { payload: object; headers: object }> };
  };
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  compiled = new Map(
    Object.entries(document.components.messages).map(([id, message]) => [
      id,
      { payload: ajv.compile(message.payload), headers: ajv.compile(message.headers) },
    ]),
  );
  return compiled;
}

export interface WireMessage {
  type: string;
  body: Buffer | string;
  headers: Record<string, unknown>;
}

/** What in `message` the document does not allow, or undefined when it fits. */
export function contractViolation(message: WireMessage): string | undefined {
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(message.body.toString());
  } catch {
    return `${message.type}: the body is not JSON`;
  }
  const version = payload.event_version ?? payload.command_version;
  const id = `${message.type}.v${String(version)}`;
  const found = validators().get(id);
  if (!found) return `${id}: no such message in the document`;
  const problems = [
    ...(found.payload(payload) ? [] : (found.payload.errors ?? []).map((e) => `body${e.instancePath} ${e.message}`)),
    ...(found.headers(message.headers) ? [] : (found.headers.errors ?? []).map((e) => `headers${e.instancePath} ${e.message}`)),
  ];
  return problems.length > 0 ? `${id} ${String(payload.event_id ?? payload.command_id)}: ${problems.join('; ')}` : undefined;
}

/**
 * Checks every entry of the outboxes in `schemas` (those that have one) and appends the
 * count to test/results/wire-contract.jsonl.
 */
export async function checkOutboxes(label: string, schemas: readonly string[]): Promise<{ checked: number; violations: string[] }> {
  const violations: string[] = [];
  let checked = 0;
  for (const schema of schemas) {
    const [{ present }] = await queryIn<{ present: boolean }>(schema, `SELECT to_regclass('outbox') IS NOT NULL AS present`);
    if (!present) continue;
    const entries = await queryIn<OutboxEntry>(schema, `SELECT *, payload::text AS payload FROM outbox ORDER BY id`);
    for (const entry of entries) {
      // The append's trace context stands for the publish's: the same headers, in the same format.
      const wire = toOutgoingMessage(entry, PLATFORM_TOPOLOGY, entry.trace_context ?? {});
      const violation = contractViolation({ type: entry.message_type, body: wire.body, headers: wire.headers ?? {} });
      if (violation) violations.push(`${schema}: ${violation}`);
      checked += 1;
    }
  }
  const dir = join(__dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, 'wire-contract.jsonl'), `${JSON.stringify({ label, checked, violations: violations.length })}\n`);
  return { checked, violations };
}
