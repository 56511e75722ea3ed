import { describe, expect, it } from 'vitest';
import { ESCALATION_TRIGGERS } from '../../api/index.js';
import { capability, escalationPolicy, NAMESPACE, snapshot } from '../testing/fixtures.js';
import { objectKey } from '../snapshot.js';
import { BUILT_IN_ROUTING, leadTimeMs, routingByName, routingFor } from './routing.js';

describe('escalation routing', () => {
  it('is built in without a policy: every trigger, one level to the accountable role, 180 days', () => {
    const snap = snapshot();
    const found = routingFor(
      snap,
      NAMESPACE,
      snap.capabilities.get(objectKey(NAMESPACE, 'chat-assistant')),
    );
    expect(found).toBe(BUILT_IN_ROUTING);
    expect(found.triggers.size).toBe(ESCALATION_TRIGGERS.length);
    expect(found.triggers.get('InteractionPending')?.severity).toBe('Warning');
    expect(found.triggers.get('NetworkPolicyTampered')?.severity).toBe('Critical');
    expect(found.triggers.get('AccountabilityVacant')?.severity).toBe('Critical');
    expect(found.triggers.get('ExemptAIWorkload')?.severity).toBe('Info');
    expect(found.levels).toEqual([{ afterMs: 0, roles: [], notifyAccountableRole: true }]);
    expect(found.retentionMs).toBe(180 * 86_400_000);
  });

  it('follows the capability’s policy, else the namespace’s default policy', () => {
    const snap = snapshot({
      capabilities: [capability(undefined, { escalationPolicy: 'ladder' }), capability('other')],
      escalationPolicies: [
        escalationPolicy('ladder', { retention: '30d' }),
        escalationPolicy('default', {
          triggers: [{ type: 'UnanchoredWorkload', severity: 'Info' }],
        }),
      ],
    });
    const ladder = routingFor(
      snap,
      NAMESPACE,
      snap.capabilities.get(objectKey(NAMESPACE, 'chat-assistant')),
    );
    expect(ladder.policy).toBe('ladder');
    expect(ladder.retentionMs).toBe(30 * 86_400_000);
    expect(ladder.levels.map((l) => l.afterMs)).toEqual([0, 4 * 3_600_000]);
    expect([...ladder.triggers.keys()]).toEqual(['DelegationExpired']);
    const fallback = routingFor(
      snap,
      NAMESPACE,
      snap.capabilities.get(objectKey(NAMESPACE, 'other')),
    );
    expect(fallback.policy).toBe('default');
    expect(routingFor(snap, NAMESPACE, undefined).policy).toBe('default');
    expect(routingByName(snap, NAMESPACE, 'ladder').policy).toBe('ladder');
    expect(routingByName(snap, NAMESPACE, 'missing')).toBe(BUILT_IN_ROUTING);
  });

  it('gives deadline triggers their lead time, 14 days by default', () => {
    const snap = snapshot({
      capabilities: [capability(undefined, { escalationPolicy: 'ladder' })],
      escalationPolicies: [
        escalationPolicy('ladder', {
          triggers: [{ type: 'DelegationExpiring', severity: 'Warning', leadTime: '2d' }],
        }),
      ],
    });
    const c = snap.capabilities.get(objectKey(NAMESPACE, 'chat-assistant'));
    expect(leadTimeMs(snap, NAMESPACE, c, 'DelegationExpiring')).toBe(2 * 86_400_000);
    expect(leadTimeMs(snap, NAMESPACE, c, 'AttestationExpiring')).toBe(14 * 86_400_000);
    expect(leadTimeMs(snap, NAMESPACE, undefined, 'DelegationExpiring')).toBe(14 * 86_400_000);
  });
});
