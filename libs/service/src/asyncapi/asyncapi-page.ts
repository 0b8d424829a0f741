import { escapeHtml } from '@todo/http-api';
import { AsyncApiDocument } from '@todo/messaging';

/**
 * The AsyncAPI document as one self-contained HTML page, rendered on the server: no
 * script, no stylesheet, font or image from elsewhere, so it reads the same offline and
 * under the strict Content-Security-Policy the services send.
 *
 * Messages first (what each means, who sends, who receives, the fields of each version), then the queues
 * with their bindings, arguments, retries and dead letters, then the headers.
 */
export function renderAsyncApiPage(document: AsyncApiDocument): string {
  const info = document.info as { title: string; version: string; description: string };
  // A consumer's own retry and dead-letter sends are topology, not who sends a message.
  const operations = Object.entries(document.operations as Record<string, Operation>)
    .filter(([id]) => !/\.(retry|dead-letter)$/.test(id))
    .map(([, operation]) => operation);
  const messages = document.components as { messages: Record<string, Message> };
  const queueChannels = Object.values(document.channels).filter((c) => c.bindings.amqp.is === 'queue');
  const workQueues = queueChannels.filter((c) => c['x-retry']);

  const servicesFor = (action: 'send' | 'receive', id: string) =>
    operations
      .filter((op) => op.action === action)
      .filter((op) => op.messages.some((m) => m.$ref.endsWith(`/messages/${id}`)))
      .map((op) => op['x-service']);

  // An earlier version is no longer sent: its senders are those of the current version, before it.
  const currentOf = (name: string) => Object.entries(messages.messages).find(([, m]) => m.name === name && m['x-current']);
  const sentBy = (id: string, message: Message) => {
    if (message['x-current']) return list(servicesFor('send', id));
    const current = currentOf(message.name);
    const senders = current ? servicesFor('send', current[0]) : [];
    return senders.length > 0 ? `${list(senders)} (before v${current![1]['x-version']}; upcast to it on read)` : '—';
  };

  const messageRows = Object.entries(messages.messages).map(([id, message]) => {
    const payload = message.payload as JsonObjectSchema;
    const required = new Set(payload.required);
    const fields = Object.entries(payload.properties)
      .map(
        ([field, schema]) =>
          `<tr><td><code>${escapeHtml(field)}</code></td><td>${escapeHtml(describeSchema(schema))}</td><td>${required.has(field) ? 'yes' : ''}</td></tr>`,
      )
      .join('');
    return `
<section class="message" id="${escapeHtml(id)}">
  <h3><code>${escapeHtml(message.name)}</code> <span class="version">v${message['x-version']}${message['x-current'] ? ', current' : ''}</span> <span class="kind">${escapeHtml(message['x-kind'])}</span></h3>
  <p>${escapeHtml(message.description ?? message.summary)}</p>
  <p><strong>Sent by</strong> ${sentBy(id, message)} · <strong>received by</strong> ${list(servicesFor('receive', id))}</p>
  <details><summary>Fields</summary>
    <table><thead><tr><th>field</th><th>schema</th><th>required</th></tr></thead><tbody>${fields}</tbody></table>
  </details>
</section>`;
  });

  const queueRows = workQueues.map((c) => {
    const retry = c['x-retry'] as { queues: { queue: string; delayMs: number }[] };
    const bindings = (c['x-bindings'] as { exchange: string; routingKey: string }[]).map((b) => `${b.exchange} ${b.routingKey}`);
    const dead = (c['x-dead-letter'] as { exchange: { name: string } }).exchange.name;
    return `<tr><td><code>${escapeHtml(c.address)}</code></td><td>${bindings.map((b) => `<code>${escapeHtml(b)}</code>`).join('<br>')}</td>
<td>${retry.queues.map((r) => `${r.delayMs} ms`).join(', ')}</td><td><code>${escapeHtml(dead)}</code> → <code>${escapeHtml(c.address)}.dlq</code></td>
<td><code>${escapeHtml(JSON.stringify(c['x-arguments']))}</code></td><td>${Object.keys(c.messages).length}</td></tr>`;
  });

  const anyMessage = Object.values(messages.messages)[0];
  const headers = Object.entries((anyMessage?.headers as JsonObjectSchema | undefined)?.properties ?? {})
    .map(
      ([name, schema]) =>
        `<tr><td><code>${escapeHtml(name)}</code></td><td>${escapeHtml(String(schema.description ?? describeSchema(schema)))}</td></tr>`,
    )
    .join('');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(info.title)} — messages (AsyncAPI ${escapeHtml(String(document.asyncapi))})</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #1d2330; }
code { font: 13px ui-monospace, monospace; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .25rem .5rem; border-bottom: 1px solid #dde1e8; }
.message { border-left: 3px solid #5b7bd5; padding: 0 1rem; margin: 1rem 0; }
.version, .kind { font-size: 13px; font-weight: normal; color: #5a6272; }
</style>
</head>
<body>
<h1>${escapeHtml(info.title)} <small>${escapeHtml(info.version)}</small></h1>
<p>${escapeHtml(info.description)}</p>
<p>The document itself: <a href="/asyncapi.json">/asyncapi.json</a> (AsyncAPI ${escapeHtml(String(document.asyncapi))}).</p>
<h2 id="messages">Messages</h2>
${messageRows.join('\n')}
<h2 id="queues">Queues</h2>
<table><thead><tr><th>queue</th><th>bound to</th><th>retries after</th><th>dead letters</th><th>arguments</th><th>message types</th></tr></thead>
<tbody>${queueRows.join('\n')}</tbody></table>
<h2 id="headers">AMQP headers</h2>
<table><thead><tr><th>header</th><th>meaning</th></tr></thead><tbody>${headers}</tbody></table>
</body>
</html>
`;
}

interface Operation {
  action: 'send' | 'receive';
  messages: { $ref: string }[];
  'x-service': string;
}

interface Message {
  name: string;
  summary: string;
  description?: string;
  payload: unknown;
  headers: unknown;
  'x-kind': string;
  'x-version': number;
  'x-current': boolean;
}

interface JsonObjectSchema {
  properties: Record<string, Record<string, unknown>>;
  required: string[];
}

/** A JSON Schema fragment in a few words: `string, 1–200 chars`, `one of low, medium, high`. */
function describeSchema(schema: Record<string, unknown>): string {
  if (Array.isArray(schema.enum)) return schema.enum.length === 1 ? `always ${String(schema.enum[0])}` : `one of ${schema.enum.join(', ')}`;
  const parts = [String(schema.type ?? 'any')];
  if (schema.format) parts.push(String(schema.format));
  if (schema.minLength !== undefined || schema.maxLength !== undefined)
    parts.push(`${Number(schema.minLength ?? 0)}–${String(schema.maxLength ?? '∞')} chars`);
  if (schema.minimum !== undefined && schema.maximum !== undefined && Number(schema.maximum) < Number.MAX_SAFE_INTEGER)
    parts.push(`${String(schema.minimum)}–${String(schema.maximum)}`);
  else if (schema.minimum !== undefined) parts.push(`≥ ${String(schema.minimum)}`);
  if (schema.type === 'array') {
    const items = schema.items as JsonObjectSchema | undefined;
    parts.push(`${Number(schema.minItems ?? 0)}–${String(schema.maxItems ?? '∞')} items`);
    if (items?.properties) parts.push(`of { ${Object.keys(items.properties).join(', ')} }`);
  }
  return parts.join(', ');
}

function list(services: string[]): string {
  return services.length > 0 ? services.map((s) => `<code>${escapeHtml(s)}</code>`).join(', ') : '—';
}
