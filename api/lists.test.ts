import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { validationErrors } from './issues.js';
import { listMap, listSet } from './lists.js';

describe('listSet', () => {
  const set = listSet(z.string(), 3, 1);

  it('holds unique scalars within its bounds', () => {
    expect(validationErrors(set, ['a', 'b', 'c'])).toEqual([]);
    expect(validationErrors(set, ['a', 'b', 'a'])).toEqual(['[2]: Duplicate value: "a"']);
    expect(validationErrors(set, [])).toHaveLength(1);
    expect(validationErrors(set, ['a', 'b', 'c', 'd'])).toHaveLength(1);
  });

  it('tells the apiserver it is a set', () => {
    expect(z.toJSONSchema(set, { io: 'input' })).toMatchObject({
      type: 'array',
      minItems: 1,
      maxItems: 3,
      'x-kubernetes-list-type': 'set',
    });
  });
});

describe('listMap', () => {
  const item = z.object({ group: z.string(), kind: z.string(), note: z.string().optional() });
  const map = listMap(item, ['group', 'kind'], 8);

  it('holds objects unique by their keys', () => {
    expect(
      validationErrors(map, [
        { group: 'apps', kind: 'Deployment' },
        { group: '', kind: 'Deployment' },
      ]),
    ).toEqual([]);
    expect(
      validationErrors(map, [
        { group: 'apps', kind: 'Deployment', note: 'x' },
        { group: 'apps', kind: 'Deployment', note: 'y' },
      ]),
    ).toEqual(['[1]: Duplicate value: {"group":"apps","kind":"Deployment"}']);
  });

  it('tells the apiserver its keys', () => {
    expect(z.toJSONSchema(map, { io: 'input' })).toMatchObject({
      maxItems: 8,
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['group', 'kind'],
    });
  });
});
