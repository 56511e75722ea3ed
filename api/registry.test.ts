import { describe, expect, it } from 'vitest';
import { CATEGORY, GROUP, VERSION } from './group.js';
import { findKind, KINDS } from './registry.js';

/** Short names of the built-in resources of Kubernetes 1.34 (kube-apiserver and apiextensions). */
const BUILT_IN_SHORT_NAMES = [
  'cj',
  'cm',
  'crd',
  'crds',
  'cs',
  'csr',
  'deploy',
  'ds',
  'ep',
  'ev',
  'hpa',
  'ing',
  'ip',
  'limits',
  'netpol',
  'no',
  'ns',
  'pc',
  'pdb',
  'po',
  'pv',
  'pvc',
  'quota',
  'rc',
  'rs',
  'sa',
  'sc',
  'sts',
  'svc',
  'vac',
];

describe('the registry of kinds', () => {
  it('lists the seven kinds of the accountability chain', () => {
    expect(KINDS.map((k) => k.kind)).toEqual([
      'AccountableRole',
      'Capability',
      'Delegation',
      'EscalationPolicy',
      'Escalation',
      'Exemption',
      'GovernancePolicy',
    ]);
    expect(KINDS.filter((k) => k.scope === 'Cluster').map((k) => k.kind)).toEqual([
      'AccountableRole',
      'GovernancePolicy',
    ]);
  });

  it('puts every kind in oos.dev/v1alpha1 and the oos category, with Kubernetes-style names', () => {
    for (const k of KINDS) {
      expect(k).toMatchObject({
        group: GROUP,
        version: VERSION,
        categories: [CATEGORY],
        listKind: `${k.kind}List`,
      });
      expect(k.singular).toBe(k.kind.toLowerCase());
      expect(k.plural).toMatch(/^[a-z]+s$/);
    }
  });

  it('gives short names that are distinct and never shadow a built-in one', () => {
    const shortNames = KINDS.flatMap((k) => k.shortNames);
    expect(shortNames.length).toBeGreaterThanOrEqual(KINDS.length);
    expect(new Set(shortNames).size).toBe(shortNames.length);
    const names = KINDS.flatMap((k) => [k.plural, k.singular]);
    for (const short of shortNames) {
      expect(BUILT_IN_SHORT_NAMES).not.toContain(short);
      expect(names).not.toContain(short);
      expect(short).not.toBe(CATEGORY);
    }
  });

  it('finds a kind by name', () => {
    expect(findKind('Capability')?.plural).toBe('capabilities');
    expect(findKind('Pod')).toBeUndefined();
  });

  it('shows Ready and Age for every kind, and the columns the issue asks for', () => {
    const columns = (kind: string) => findKind(kind)?.printerColumns.map((c) => c.name) ?? [];
    expect(columns('Capability')).toEqual(
      expect.arrayContaining(['Role', 'Autonomy', 'Risk', 'Ready', 'Workloads', 'Age']),
    );
    expect(columns('Delegation')).toEqual(
      expect.arrayContaining(['Capability', 'Service Account', 'Expires', 'State']),
    );
    expect(columns('Escalation')).toEqual(
      expect.arrayContaining(['Trigger', 'Severity', 'Level', 'Acknowledged By', 'Age']),
    );
    expect(columns('AccountableRole')).toEqual(
      expect.arrayContaining(['Title', 'Current Holders', 'Vacant']),
    );
    for (const k of KINDS) expect(columns(k.kind).at(-1)).toBe('Age');
  });
});
