import { isAcceptedKey } from '../../../lib/http/api-key-auth';

describe('isAcceptedKey', () => {
  const keys = ['alpha-key', 'beta-key-longer'];

  it.each([
    ['the first key', 'alpha-key', true],
    ['the second key', 'beta-key-longer', true],
    ['a prefix of a key', 'alpha', false],
    ['a key with a suffix', 'alpha-key2', false],
    ['an empty key', '', false],
    ['no key', undefined, false],
  ])('given %s, then accepted is %s', (_name, presented, accepted) => {
    expect(isAcceptedKey(presented, keys)).toBe(accepted);
  });

  it('given no configured keys, then nothing is accepted', () => {
    expect(isAcceptedKey('', [])).toBe(false);
    expect(isAcceptedKey('anything', [])).toBe(false);
  });
});
