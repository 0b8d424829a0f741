import { spawn } from 'node:child_process';

/**
 * Runs Prometheus' own checker on a scrape (`promtool check metrics`, from Debian's
 * `prometheus` package, which .ci/run installs). Resolves with what it printed; a
 * clean scrape prints nothing and exits 0.
 */
export function promtoolCheckMetrics(scrape: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT' ? new Error("promtool not found: install Debian's prometheus package (apt-get install prometheus)") : error,
      ),
    );
    child.on('close', (code) => resolve({ code, output: output.trim() }));
    child.stdin.end(scrape);
  });
}
