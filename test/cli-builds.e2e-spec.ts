import { execFile } from 'node:child_process';
import { statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const dlq = (...args: string[]) => run(process.execPath, [join(ROOT, 'scripts', 'dlq.js'), ...args], { cwd: ROOT, timeout: 120_000 });

describe('npm run dlq', () => {
  it('builds the CLI only when a source changed since the last build', async () => {
    await dlq('--help'); // builds if the tree has no current build
    const unchanged = await dlq('--help');
    expect(unchanged.stderr).not.toContain('building');
    expect(unchanged.stdout).toContain('redrive');

    // A source newer than the build (its content untouched) makes the next call build again.
    const source = join(ROOT, 'apps', 'dead-letter-cli', 'src', 'main.ts');
    const { atime } = statSync(source);
    utimesSync(source, atime, new Date());
    const changed = await dlq('--help');
    expect(changed.stderr).toContain('building dead-letter-cli');
    expect((await dlq('--help')).stderr).not.toContain('building');
  });
});
