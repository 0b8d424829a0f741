import { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  url: string;
  /** performance.now() at which the mail's DATA was fully received, by its X-Correlation-Id header. */
  received: Map<string, number>;
  /** performance.now() of every mail accepted, in arrival order. */
  arrivals: number[];
  /** Every mail accepted, with or without the header. */
  count(): number;
  /**
   * Opt-in slowness: from now on each mail's DATA is answered `ms` after it was received
   * (0, the default, answers at once). The mail counts as received when it is answered.
   */
  setDataDelay(ms: number): void;
  close(): Promise<void>;
}

const CORRELATION = /^x-correlation-id:[ \t]*([^\r\n]+)/im;
const HEADER_LIMIT = 16_384;

/**
 * A real SMTP server on a free local port that only notes when each mail arrived.
 * Unlike test/support/smtp.ts it does not parse the mails (mailparser at 1,000 mails/s
 * would compete with the services for the CPU): it scans the header block for
 * X-Correlation-Id, which notification-service sets to the event's correlation id —
 * the X-Request-Id of the HTTP command that caused it.
 */
export async function startSmtpSink({ dataDelayMs = 0 }: { dataDelayMs?: number } = {}): Promise<SmtpSink> {
  const received = new Map<string, number>();
  const arrivals: number[] = [];
  let delayMs = dataDelayMs;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // No reverse DNS per connection: this machine has no resolver to ask.
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < HEADER_LIMIT && !head.includes('\r\n\r\n')) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        const accept = () => {
          const at = performance.now();
          arrivals.push(at);
          const headerBlock = head.split('\r\n\r\n')[0];
          const id = CORRELATION.exec(headerBlock)?.[1]?.trim();
          if (id && !received.has(id)) received.set(id, at);
          callback();
        };
        if (delayMs > 0) setTimeout(accept, delayMs);
        else accept();
      });
      stream.on('error', callback);
    },
  });
  // The sink answers at once (no Nagle delay of its own), so any wait is the sender's.
  server.server.on('connection', (socket: Socket) => socket.setNoDelay(true));
  // A delayed answer can outlive its sender's connection (a sender stopped mid-mail resets
  // it): with a delay set, such a reset is the sender's business, not a crash of the sink.
  let tolerant = false;
  const tolerateResets = () => {
    if (delayMs > 0 && !tolerant) {
      tolerant = true;
      server.on('error', () => undefined);
    }
  };
  tolerateResets();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    arrivals,
    count: () => arrivals.length,
    setDataDelay: (ms) => {
      delayMs = ms;
      tolerateResets();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
