import { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { runTsEntry } from '../../../../test/support/run-cli';

/** The real OpenTelemetry SDK, in its own process: on with OTEL_* set, exporting over OTLP/HTTP; off without. */
describe('startTracing', () => {
  it('exports spans over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    const received: { path: string; body: Buffer }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: Buffer.concat(chunks) });
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const result = await runTsEntry('test/support/otlp-smoke.ts', [], { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
      expect(result.stdout).toContain('tracing flushed');
      const traces = received.filter((r) => r.path === '/v1/traces');
      expect(traces.length).toBeGreaterThan(0);
      expect(traces.some((r) => r.body.toString('latin1').includes('smoke span'))).toBe(true);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('stays off without OTEL_* settings', async () => {
    const result = await runTsEntry('test/support/otlp-smoke.ts', [], {
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '',
    });
    expect(result.stdout).toContain('tracing off');
  });
});
