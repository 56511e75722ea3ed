import { describe, expect, it } from 'vitest';
import { capabilityValues } from './selector.js';

const K = 'oos.dev/capability';

describe('capabilityValues: which capabilities a podSelector could select', () => {
  it.each([
    ['no selector', undefined, { kind: 'all', except: new Set() }],
    ['the empty selector', {}, { kind: 'all', except: new Set() }],
    ['another label only', { matchLabels: { app: 'web' } }, { kind: 'all', except: new Set() }],
    [
      'Exists',
      { matchExpressions: [{ key: K, operator: 'Exists' }] },
      { kind: 'all', except: new Set() },
    ],
    [
      'DoesNotExist',
      { matchExpressions: [{ key: K, operator: 'DoesNotExist' }] },
      { kind: 'none' },
    ],
    ['matchLabels', { matchLabels: { [K]: 'a' } }, { kind: 'some', values: new Set(['a']) }],
    [
      'In',
      { matchExpressions: [{ key: K, operator: 'In', values: ['a', 'b'] }] },
      { kind: 'some', values: new Set(['a', 'b']) },
    ],
    [
      'NotIn',
      { matchExpressions: [{ key: K, operator: 'NotIn', values: ['a'] }] },
      { kind: 'all', except: new Set(['a']) },
    ],
    [
      'In narrowed by NotIn',
      {
        matchExpressions: [
          { key: K, operator: 'In', values: ['a', 'b'] },
          { key: K, operator: 'NotIn', values: ['a'] },
        ],
      },
      { kind: 'some', values: new Set(['b']) },
    ],
    [
      'matchLabels and an In that excludes it',
      { matchLabels: { [K]: 'a' }, matchExpressions: [{ key: K, operator: 'In', values: ['b'] }] },
      { kind: 'none' },
    ],
    [
      'an unknown operator narrows nothing',
      { matchExpressions: [{ key: K, operator: 'Gt', values: ['1'] }] },
      { kind: 'all', except: new Set() },
    ],
    ['a selector that is not an object', 'everything', { kind: 'all', except: new Set() }],
  ])('%s', (_, selector, expected) => {
    expect(capabilityValues(selector)).toEqual(expected);
  });
});
