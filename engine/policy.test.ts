import { describe, expect, it } from 'vitest';
import { DEFAULT_EXEMPT_NAMESPACES } from '../api/index.js';
import { policy } from './testing/fixtures.js';
import { enforcementMode, resolvePolicy } from './policy.js';

describe('the policy in force', () => {
  it('falls back to the built-in defaults in Enforce mode', () => {
    const resolved = resolvePolicy([], undefined);
    expect(resolved.name).toBeUndefined();
    expect(resolved.spec.enforcement).toBe('Enforce');
    expect([...resolved.exemptNamespaces]).toEqual([...DEFAULT_EXEMPT_NAMESPACES]);
    expect(resolved.maxDelegationMs).toBe(90 * 86_400_000);
    expect(resolved.maxExemptionMs).toBe(30 * 86_400_000);
  });

  it('always exempts the operator namespace', () => {
    expect(resolvePolicy([], 'oos-system').exemptNamespaces.has('oos-system')).toBe(true);
    const own = resolvePolicy([policy({ exemptNamespaces: ['monitoring'] })], 'oos-system');
    expect([...own.exemptNamespaces].sort()).toEqual(['monitoring', 'oos-system']);
  });

  it('prefers the policy named default', () => {
    const other = { ...policy({ enforcement: 'Audit' }), metadata: { name: 'other' } };
    const chosen = resolvePolicy([other, policy({ enforcement: 'Warn' })], undefined);
    expect(chosen.spec.enforcement).toBe('Warn');
    expect(resolvePolicy([other], undefined).spec.enforcement).toBe('Audit');
  });

  it('indexes admins and trusted appliers', () => {
    const resolved = resolvePolicy(
      [
        policy({
          governanceAdmins: { users: ['gina'], groups: ['board'] },
          trustedAppliers: { groups: ['gitops'] },
        }),
      ],
      undefined,
    );
    expect(resolved.adminUsers.has('gina')).toBe(true);
    expect(resolved.adminGroups.has('board')).toBe(true);
    expect(resolved.applierGroups.has('gitops')).toBe(true);
    expect(resolved.maxDelegationMs).toBe(90 * 86_400_000);
  });
});

describe('enforcement mode per namespace', () => {
  const resolved = resolvePolicy(
    [
      policy({
        enforcement: 'Enforce',
        enforcementRules: [
          { namespaceSelector: { matchLabels: { environment: 'sandbox' } }, enforcement: 'Warn' },
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'legacy' } },
            enforcement: 'Audit',
          },
          {
            namespaceSelector: { matchLabels: { environment: 'sandbox', team: 'x' } },
            enforcement: 'Audit',
          },
        ],
      }),
    ],
    undefined,
  );

  it('takes the first rule whose selector matches the namespace labels', () => {
    expect(enforcementMode(resolved, 'play', { environment: 'sandbox', team: 'x' })).toBe('Warn');
  });

  it('knows every namespace by its name label, even when the caller omits it', () => {
    expect(enforcementMode(resolved, 'legacy', {})).toBe('Audit');
    expect(enforcementMode(resolved, 'legacy', undefined)).toBe('Audit');
  });

  it("uses the policy's enforcement when no rule matches", () => {
    expect(enforcementMode(resolved, 'prod', { environment: 'production' })).toBe('Enforce');
    expect(
      enforcementMode(resolvePolicy([policy({ enforcement: 'Warn' })], undefined), 'x', {}),
    ).toBe('Warn');
  });
});
