import { describe, expect, it } from 'vitest';
import { DEFAULT_AI_KINDS } from '../../api/index.js';
import { deployment, detectionConfig, viewOf } from '../testing/fixtures.js';
import { detectKind } from './kinds.js';

describe('kind signal', () => {
  const builtIn = detectionConfig();

  it.each(DEFAULT_AI_KINDS.map((k) => [k.kind, k.group]))('fires on %s.%s', (kind, group) => {
    const view = viewOf({ apiVersion: `${group}/v1`, kind, metadata: { name: 'x' }, spec: {} });
    expect(detectKind(view, builtIn)).toEqual([{ type: 'Kind', reason: `kind ${kind}.${group}` }]);
  });

  it('needs the group as well as the kind', () => {
    expect(
      detectKind(viewOf({ apiVersion: 'example.com/v1', kind: 'Agent', spec: {} }), builtIn),
    ).toEqual([]);
    expect(detectKind(viewOf(deployment()), builtIn)).toEqual([]);
  });

  it('uses policy kinds', () => {
    const config = detectionConfig({
      kinds: [{ group: 'leaderworkerset.x-k8s.io', kind: 'LeaderWorkerSet' }],
    });
    expect(
      detectKind(
        viewOf({ apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', spec: {} }),
        config,
      ),
    ).toHaveLength(1);
  });
});
