import { semconvStability } from './semconv-stability';

describe('semconvStability', () => {
  it('keeps the old conventions when the category is not listed', () => {
    expect(semconvStability(undefined, 'messaging')).toBe('old');
    expect(semconvStability('', 'messaging')).toBe('old');
    expect(semconvStability('http,database/dup', 'messaging')).toBe('old');
  });

  it('takes the new conventions alone for the bare category', () => {
    expect(semconvStability('messaging', 'messaging')).toBe('new');
    expect(semconvStability(' http , MESSAGING ', 'messaging')).toBe('new');
  });

  it('takes both for <category>/dup, which wins over the bare category', () => {
    expect(semconvStability('messaging/dup', 'messaging')).toBe('dup');
    expect(semconvStability('messaging,messaging/dup', 'messaging')).toBe('dup');
    expect(semconvStability('messaging/dup,messaging', 'messaging')).toBe('dup');
  });

  it('reads no other token as the category', () => {
    expect(semconvStability('messaging_latest_experimental,messagingx', 'messaging')).toBe('old');
  });
});
