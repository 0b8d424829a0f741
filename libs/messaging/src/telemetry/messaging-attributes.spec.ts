import { errorTypeOf } from './messaging-attributes';

describe('errorTypeOf', () => {
  it('takes error.type from the error: its code when it has one, else its class name', () => {
    expect(errorTypeOf(Object.assign(new Error('x'), { code: 'confirm_timeout' }))).toBe('confirm_timeout');
    expect(errorTypeOf(new TypeError('x'))).toBe('TypeError');
    expect(errorTypeOf('a string')).toBe('_OTHER');
  });
});
