import { describe, expect, it } from 'vitest';
import { parseManifests } from './manifests.js';
import { mergeNamespaceLabels, namespaceLabelsOf, parseNamespaceLabels } from './namespaces.js';

describe('namespace labels', () => {
  it('come from Namespace objects', () => {
    const manifests = parseManifests(
      'n.yaml',
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ml\n  labels: {environment: sandbox, n: 1}\n',
    );
    expect([...namespaceLabelsOf(manifests)]).toEqual([['ml', { environment: 'sandbox' }]]);
  });

  it('come from --namespace-labels, which add to and override them', () => {
    const base = new Map([['ml', { environment: 'sandbox', team: 'a' }]]);
    const flags = parseNamespaceLabels([
      'ml=environment=production',
      'prod=tier=1,team=b',
      'prod=x=',
    ]);
    expect(flags.get('prod')).toEqual({ tier: '1', team: 'b', x: '' });
    const labels = mergeNamespaceLabels(base, flags);
    expect(labels.get('ml')).toEqual({ environment: 'production', team: 'a' });
    expect(labels.get('prod')).toEqual({ tier: '1', team: 'b', x: '' });
    expect(base.get('ml')).toEqual({ environment: 'sandbox', team: 'a' });
  });

  it.each(['ml', 'ml=', '=k=v', 'ml=k', 'ml=k=v=w', 'ml==v'])('refuse %j', (value) => {
    expect(() => parseNamespaceLabels([value])).toThrow(/expected namespace=key=value/);
  });
});
