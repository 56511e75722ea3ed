import { describe, expect, it } from 'vitest';
import type { Exemption } from '../../api/index.js';
import { exemption, NOW, snapshot, withSpec } from '../testing/fixtures.js';
import { exemptionStatus } from './exemption.js';

function statusOf(e: Exemption, at = NOW.getTime()) {
  const status = exemptionStatus(e, snapshot({ exemptions: [e] }), at);
  return { state: status.state, ready: status.conditions?.[0] };
}

describe('Exemption status', () => {
  it('is Active once approved by another person, until it expires', () => {
    const { state, ready } = statusOf(exemption('incident'));
    expect(state).toBe('Active');
    expect(ready).toMatchObject({ status: 'True', reason: 'Active' });
    expect(ready?.message).toBe('Approved by alice; in effect until 2026-06-10T00:00:00Z.');
    expect(statusOf(exemption('incident'), Date.parse('2026-06-10T00:00:00Z')).state).toBe(
      'Expired',
    );
  });

  it('waits for approval, and a self-approval does not count', () => {
    expect(statusOf(exemption('pending', { approved: false, approvedBy: undefined })).state).toBe(
      'PendingApproval',
    );
    const self = withSpec(exemption('self'), { requestedBy: 'alice', approvedBy: 'alice' });
    expect(statusOf(self)).toMatchObject({
      state: 'PendingApproval',
      ready: { reason: 'PendingApproval' },
    });
  });

  it('says why an approval does not count', () => {
    const widened = withSpec(exemption('widened'), { scope: { names: ['everything'] } });
    expect(statusOf(widened).ready?.message).toContain(
      'Marked approved, but the approval does not count: its content changed from what was approved',
    );
  });

  it('is out of scope when it names another namespace outside the oos namespace', () => {
    const elsewhere = exemption('elsewhere', { scope: { namespace: 'other', names: ['x'] } });
    expect(statusOf(elsewhere).ready).toMatchObject({ status: 'False', reason: 'OutOfScope' });
  });
});
