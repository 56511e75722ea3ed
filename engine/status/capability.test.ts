import { describe, expect, it } from 'vitest';
import type { Capability } from '../../api/index.js';
import { capability, holder, NOW, role, snapshot, withSpec } from '../testing/fixtures.js';
import type { GovernanceSnapshot } from '../snapshot.js';
import { capabilityStatus, NO_WORKLOADS, type WorkloadCount } from './capability.js';

const now = NOW.getTime();

function conditions(
  c: Capability,
  snap: GovernanceSnapshot = snapshot(),
  count: WorkloadCount = NO_WORKLOADS,
) {
  const status = capabilityStatus(c, snap, count, now);
  return {
    status,
    of: (type: string) => status.conditions?.find((condition) => condition.type === type),
  };
}

describe('Capability status', () => {
  it('is Ready when anchored to a current holder and delegated', () => {
    const { status, of } = conditions(capability(), snapshot(), { running: 3, anchored: 3 });
    expect(status).toMatchObject({ workloads: 3, activeDelegations: 1 });
    expect(of('Ready')).toMatchObject({ status: 'True', reason: 'Anchored' });
    expect(of('Anchored')?.message).toBe(
      'Anchored to AccountableRole model-risk-officer, held by alice.',
    );
    expect(of('Delegated')?.message).toBe('1 active Delegation, to ServiceAccount chat-bot.');
    expect(of('Suspended')).toMatchObject({ status: 'False', reason: 'NotSuspended' });
    expect(of('WorkloadsAnchored')).toMatchObject({ status: 'True', reason: 'AllAnchored' });
    expect(status.conditions?.map((c) => c.type)).toEqual([
      'Ready',
      'Anchored',
      'Delegated',
      'Suspended',
      'WorkloadsAnchored',
    ]);
  });

  it('is not Ready without an active delegation when one is required', () => {
    const { status, of } = conditions(capability(), snapshot({ delegations: [] }));
    expect(status.activeDelegations).toBe(0);
    expect(of('Delegated')).toMatchObject({ status: 'False', reason: 'DelegationMissing' });
    expect(of('Ready')).toMatchObject({ status: 'False', reason: 'DelegationMissing' });
  });

  it('needs no delegation when it does not require one', () => {
    const { of } = conditions(capability('forecasting', { delegationRequired: false }));
    expect(of('Delegated')).toMatchObject({ status: 'True', reason: 'NotRequired' });
  });

  it('is not Ready while its role is vacant or missing', () => {
    const vacant = snapshot({
      roles: [role(undefined, [holder('alice', '2026-01-01T00:00:00Z')])],
    });
    expect(conditions(capability(), vacant).of('Anchored')).toMatchObject({
      status: 'False',
      reason: 'AccountabilityVacant',
    });
    expect(conditions(capability(), snapshot({ roles: [] })).of('Ready')).toMatchObject({
      status: 'False',
      reason: 'AccountableRoleNotFound',
    });
  });

  it('mirrors who pressed the stop button, and who resumed', () => {
    const stopped = withSpec(capability(), {
      suspend: true,
      suspendedBy: 'mallory',
      suspendReason: 'leaks data',
    });
    const { of } = conditions(stopped);
    expect(of('Suspended')).toMatchObject({ status: 'True', reason: 'SuspendedByHuman' });
    expect(of('Suspended')?.message).toContain(
      'Suspended by mallory (leaks data): its workloads are scaled to zero',
    );
    expect(of('Ready')).toMatchObject({ status: 'False', reason: 'SuspendedByHuman' });
    const denyNew = withSpec(stopped, { stopAction: 'DenyNew' });
    expect(conditions(denyNew).of('Suspended')?.message).toContain('running ones are left alone');
    const resumed = withSpec(capability(), { resumedBy: 'alice' });
    expect(conditions(resumed).of('Suspended')).toMatchObject({
      reason: 'Resumed',
      message: 'Resumed by alice.',
    });
  });

  it('reports running workloads that are not anchored', () => {
    const { of } = conditions(capability(), snapshot(), { running: 3, anchored: 1 });
    expect(of('WorkloadsAnchored')).toMatchObject({
      status: 'False',
      reason: 'UnanchoredWorkloads',
    });
    expect(of('WorkloadsAnchored')?.message).toContain('3 running workloads, 2 not anchored');
  });
});
