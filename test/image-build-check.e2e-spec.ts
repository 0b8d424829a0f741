import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const DOCKERFILE = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

/** Runs scripts/check-image-build.js on a variant of the Dockerfile (the repository stays the build context). */
function checkImage(dockerfile: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'image-build-check-spec-'));
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'scripts', 'check-image-build.js'), join(dir, 'Dockerfile')],
      { cwd: ROOT, timeout: 600_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        rmSync(dir, { recursive: true, force: true });
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

function without(line: string): string {
  expect(DOCKERFILE).toContain(`${line}\n`);
  return DOCKERFILE.replace(`${line}\n`, '');
}

/** The temp folders the check said it staged in. */
const stagedFolders = (stdout: string) => [...stdout.matchAll(/staged in (\S+)/g)].map((m) => m[1]);

describe('npm run check:image', () => {
  it('fails naming the compile errors when the build stage does not copy libs/', async () => {
    const result = await checkImage(without('COPY libs ./libs'));

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('check-image-build FAILED');
    expect(result.stderr).toMatch(/\[build\] line \d+: RUN npm run build .*exited with/);
    expect(result.stderr).toMatch(/error TS2307: Cannot find module '@todo\//);
    expect(stagedFolders(result.stdout).length).toBeGreaterThan(0);
    for (const folder of stagedFolders(result.stdout)) expect(existsSync(folder)).toBe(false);
  }, 600_000);

  it('fails before running anything when a COPY names a path .dockerignore leaves out', async () => {
    const result = await checkImage(DOCKERFILE.replace('WORKDIR /app\n', 'WORKDIR /app\nCOPY node_modules ./node_modules\n'));

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/COPY node_modules \.\/node_modules: node_modules is left out of the build context by \.dockerignore/);
    expect(result.stdout).not.toContain('RUN npm ci');
  }, 60_000);
});
