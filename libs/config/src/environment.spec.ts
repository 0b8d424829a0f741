import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnvironment } from './environment';

describe('readEnvironment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'env-'));
  const names = ['ENV_SPEC_FROM_FILE', 'ENV_SPEC_SET_BOTH', 'ENV_SPEC_QUOTED'];

  afterEach(() => names.forEach((name) => delete process.env[name]));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a .env file, and a variable already in the environment wins over the file', () => {
    const file = join(dir, '.env');
    writeFileSync(
      file,
      'ENV_SPEC_FROM_FILE=from-file\nENV_SPEC_SET_BOTH=from-file\nENV_SPEC_QUOTED="Todo Platform <no-reply@todo.local>"\n',
    );
    process.env.ENV_SPEC_SET_BOTH = 'from-shell';

    const env = readEnvironment(file);

    expect(env.ENV_SPEC_FROM_FILE).toBe('from-file');
    expect(env.ENV_SPEC_SET_BOTH).toBe('from-shell');
    expect(env.ENV_SPEC_QUOTED).toBe('Todo Platform <no-reply@todo.local>');
  });

  it('is the plain environment when there is no file', () => {
    expect(readEnvironment(join(dir, 'missing.env'))).toBe(process.env);
    expect(process.env.ENV_SPEC_FROM_FILE).toBeUndefined();
  });
});
