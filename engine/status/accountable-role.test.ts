import { describe, expect, it } from 'vitest';
import { holder, NOW, role, snapshot } from '../testing/fixtures.js';
import { accountableRoleStatus } from './accountable-role.js';

const now = NOW.getTime();

describe('AccountableRole status', () => {
  it('counts current holders, names the capabilities that depend on it, and the next lapse', () => {
    const officer = role();
    const status = accountableRoleStatus(officer, snapshot({ roles: [officer] }), now);
    expect(status).toMatchObject({
      currentHolders: 1,
      vacant: false,
      nextAttestationExpiry: '2027-01-01T00:00:00Z',
    });
    expect(status.conditions?.[0]).toMatchObject({
      type: 'Ready',
      status: 'True',
      reason: 'HoldersCurrent',
    });
    expect(status.conditions?.[0]?.message).toBe(
      '1 current holder (alice); capabilities anchored to it: ml/chat-assistant and ml/forecasting.',
    );
  });

  it('is vacant when every attestation has lapsed, and says what stops', () => {
    const lapsed = role(undefined, [holder('alice', '2026-06-01T11:59:59Z')]);
    const status = accountableRoleStatus(lapsed, snapshot({ roles: [lapsed] }), now);
    expect(status).toMatchObject({ currentHolders: 0, vacant: true });
    expect(status.nextAttestationExpiry).toBeUndefined();
    expect(status.conditions?.[0]).toMatchObject({
      status: 'False',
      reason: 'AccountabilityVacant',
    });
    expect(status.conditions?.[0]?.message).toContain('ml/chat-assistant');
  });

  it('keeps its lastTransitionTime while nothing changes', () => {
    const officer = role();
    const snap = snapshot({ roles: [officer] });
    const first = accountableRoleStatus(officer, snap, now);
    const again = accountableRoleStatus({ ...officer, status: first }, snap, now + 86_400_000);
    expect(again).toEqual(first);
  });
});
