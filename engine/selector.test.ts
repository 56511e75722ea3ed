import { describe, expect, it } from 'vitest';
import type { LabelSelector } from '../api/index.js';
import { matchesSelector } from './selector.js';

const labels = new Map([
  ['env', 'prod'],
  ['team', 'risk'],
]);

describe('label selectors', () => {
  it('selects everything when empty or absent', () => {
    expect(matchesSelector(undefined, labels)).toBe(true);
    expect(matchesSelector({}, new Map())).toBe(true);
  });

  it('requires every matchLabels entry', () => {
    expect(matchesSelector({ matchLabels: { env: 'prod', team: 'risk' } }, labels)).toBe(true);
    expect(matchesSelector({ matchLabels: { env: 'prod', team: 'ml' } }, labels)).toBe(false);
  });

  it.each<[LabelSelector['matchExpressions'], boolean]>([
    [[{ key: 'env', operator: 'In', values: ['prod', 'staging'] }], true],
    [[{ key: 'env', operator: 'In', values: ['dev'] }], false],
    [[{ key: 'absent', operator: 'In', values: ['x'] }], false],
    [[{ key: 'env', operator: 'NotIn', values: ['dev'] }], true],
    [[{ key: 'env', operator: 'NotIn', values: ['prod'] }], false],
    [[{ key: 'absent', operator: 'NotIn', values: ['x'] }], true],
    [[{ key: 'team', operator: 'Exists' }], true],
    [[{ key: 'absent', operator: 'Exists' }], false],
    [[{ key: 'absent', operator: 'DoesNotExist' }], true],
    [[{ key: 'team', operator: 'DoesNotExist' }], false],
    [
      [
        { key: 'team', operator: 'Exists' },
        { key: 'env', operator: 'In', values: ['dev'] },
      ],
      false,
    ],
  ])('matchExpressions %j → %s', (matchExpressions, expected) => {
    expect(matchesSelector({ matchExpressions }, labels)).toBe(expected);
  });

  it('never matches an operator it does not know', () => {
    const broken = {
      matchExpressions: [{ key: 'env', operator: 'Like' }],
    } as unknown as LabelSelector;
    expect(matchesSelector(broken, labels)).toBe(false);
  });
});
