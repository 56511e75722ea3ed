import { describe, expect, it } from 'vitest';
import { alertsFor } from './alertmanager.js';
import type { Notification } from './notification.js';

const base: Notification = {
  event: 'opened',
  at: '2026-06-01T12:00:05.000Z',
  escalation: {
    namespace: 'ml',
    name: 'delegation-expired-bot-0123456789ab',
    trigger: 'DelegationExpired',
    severity: 'Critical',
    level: 1,
    subject: { apiVersion: 'oos.dev/v1alpha1', kind: 'Delegation', namespace: 'ml', name: 'bot' },
    capability: 'chat',
    accountableRole: 'owner',
    policy: undefined,
    summary: 'Renew it.',
    openedAt: '2026-06-01T12:00:00Z',
    acknowledgedBy: undefined,
    resolvedAt: undefined,
  },
  notify: [{ role: 'owner', holders: [] }],
};

const VALID_UNTIL = '2026-06-01T12:15:00.000Z';

describe('alerts for Alertmanager', () => {
  it('carry the capability, role, severity and level as labels', () => {
    expect(alertsFor(base, VALID_UNTIL)).toEqual([
      {
        labels: {
          alertname: 'OOSEscalation',
          namespace: 'ml',
          escalation: 'delegation-expired-bot-0123456789ab',
          trigger: 'DelegationExpired',
          severity: 'critical',
          level: '1',
          capability: 'chat',
          role: 'owner',
          subject_kind: 'Delegation',
          subject: 'bot',
        },
        annotations: { summary: 'Renew it.', notified_roles: 'owner' },
        startsAt: '2026-06-01T12:00:00Z',
        endsAt: VALID_UNTIL,
      },
    ]);
  });

  it('end the previous level’s alert when a level is raised', () => {
    const raised = {
      ...base,
      event: 'raised' as const,
      escalation: { ...base.escalation, level: 2 },
    };
    const [current, previous] = alertsFor(raised, VALID_UNTIL);
    expect(current?.labels.level).toBe('2');
    expect(current?.endsAt).toBe(VALID_UNTIL);
    expect(previous?.labels.level).toBe('1');
    expect(previous?.endsAt).toBe(raised.at);
  });

  it('end the alert when the escalation resolves, and leave out labels that have no value', () => {
    const resolved: Notification = {
      ...base,
      event: 'resolved',
      notify: [],
      escalation: {
        ...base.escalation,
        capability: undefined,
        accountableRole: undefined,
        acknowledgedBy: 'dana',
      },
    };
    const [alert] = alertsFor(resolved, VALID_UNTIL);
    expect(alert?.endsAt).toBe(resolved.at);
    expect(alert?.labels).not.toHaveProperty('capability');
    expect(alert?.labels).not.toHaveProperty('role');
    expect(alert?.annotations).toEqual({ summary: 'Renew it.', acknowledged_by: 'dana' });
  });
});
