import { describe, expect, it } from 'vitest';
import { capability, NOW, NS, raw, role } from './fixtures.js';
import { buildClusterView } from './view.js';

describe('buildClusterView', () => {
  it('indexes the governance read from the cluster and audits every workload with the engine', () => {
    const view = buildClusterView(raw(), { operatorNamespace: 'oos-system' }, NOW);
    expect(view.snapshot.capabilities.get(`${NS}/summarizer`)?.capability.spec.autonomy).toBe(
      'Advisory',
    );
    expect(view.snapshot.roles.get('ops')?.holders.map((h) => h.user)).toEqual(['erin']);
    expect(view.objects.delegations?.map((d) => d.metadata.name)).toEqual(['summarizer-bot']);
    const reasons = Object.fromEntries(view.findings.map((f) => [f.workload.name, f.reason]));
    expect(reasons).toEqual({ anchored: 'Anchored', stray: 'AnchorMissing' });
    expect(view.namespaceLabels(NS)).toEqual({ team: 'ml' });
    expect(view.namespaceLabels('elsewhere')).toEqual({});
    expect(view.now).toBe(NOW);
    expect(view.warnings).toEqual([]);
  });

  it('judges at the time it is given: an expired delegation no longer anchors', () => {
    const later = new Date('2027-01-01T00:00:00Z');
    const view = buildClusterView(raw(), {}, later);
    expect(view.findings.find((f) => f.workload.name === 'anchored')?.reason).toBe(
      'DelegationExpired',
    );
  });

  it('leaves out an object its schema refuses, as the operator does, and says so', () => {
    const broken = capability('broken', { autonomy: 'Unbounded' });
    const view = buildClusterView(
      raw({
        governance: { AccountableRole: [role], Capability: [capability('summarizer'), broken] },
      }),
      {},
      NOW,
    );
    expect([...view.snapshot.capabilities.keys()]).toEqual([`${NS}/summarizer`]);
    expect(view.warnings).toHaveLength(1);
    expect(view.warnings[0]).toMatch(
      /^Capability ml\/broken does not match the oos schema \(spec\.autonomy/,
    );
    expect(view.warnings[0]).toMatch(/left out/);
  });

  it('keeps the partial-read warnings of the read and treats kinds not read as empty', () => {
    const warning = 'partial read: you may not list delegations.oos.dev in all namespaces (RBAC)';
    const view = buildClusterView(
      raw({
        governance: { AccountableRole: [role], Capability: [capability('summarizer')] },
        warnings: [warning],
      }),
      {},
      NOW,
    );
    expect(view.warnings).toEqual([warning]);
    expect(view.findings.find((f) => f.workload.name === 'anchored')?.reason).toBe(
      'DelegationMissing',
    );
  });
});
