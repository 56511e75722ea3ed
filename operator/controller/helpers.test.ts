import { describe, expect, it } from 'vitest';
import { escalationSchema } from '../../api/index.js';
import type { Cause } from '../../engine/escalation/index.js';
import { episodeOf, escalationFor, managedKey } from './escalations.js';
import { kindOfKey } from './index.js';
import { statusKey, statusReplacement, withValidCondition } from './status.js';
import { stopKey } from './stop-button.js';

const cause: Cause = {
  key: '0123456789ab',
  name: 'delegation-expired-bot-0123456789ab',
  namespace: 'ml',
  trigger: 'DelegationExpired',
  severity: 'Critical',
  subject: { apiVersion: 'oos.dev/v1alpha1', kind: 'Delegation', namespace: 'ml', name: 'bot' },
  capability: 'chat',
  accountableRole: undefined,
  policy: undefined,
  summary: 'Renew it.',
};

describe('the controller’s writes', () => {
  it('open an escalation that passes the API schema, labelled with its cause and episode', () => {
    const object = escalationSchema.parse(escalationFor(cause, 2));
    expect(object.metadata.name).toBe('delegation-expired-bot-0123456789ab-2');
    expect(managedKey(object)).toBe('0123456789ab');
    expect(episodeOf(object)).toBe(2);
    expect(object.spec).not.toHaveProperty('accountableRole');
    const unmanaged = { ...object, metadata: { ...object.metadata, labels: {} } };
    expect(managedKey(unmanaged)).toBeUndefined();
    expect(episodeOf(unmanaged)).toBe(1);
  });

  it('replace the whole status, so nothing another writer put there survives', () => {
    expect(statusReplacement({ vacant: false })).toEqual([
      { op: 'add', path: '/status', value: { vacant: false } },
    ]);
  });

  it('say Valid=False on an object whose spec the schema refuses, keeping its transition time', () => {
    const invalid = {
      kind: 'Capability',
      namespace: 'ml',
      name: 'chat',
      uid: 'u',
      resourceVersion: '3',
      part: 'spec' as const,
      kept: true,
      issues: ['spec.autonomy: invalid option'],
    };
    const ready = {
      type: 'Ready',
      status: 'True',
      reason: 'Anchored',
      lastTransitionTime: '2026-01-01T00:00:00Z',
    };
    const now = Date.parse('2026-06-01T00:00:00Z');
    const first = withValidCondition({ conditions: [ready] }, undefined, invalid, now);
    expect(first.conditions).toEqual([
      ready,
      expect.objectContaining({
        type: 'Valid',
        status: 'False',
        reason: 'SchemaMismatch',
        lastTransitionTime: '2026-06-01T00:00:00Z',
      }),
    ]);
    const again = withValidCondition({ conditions: [ready] }, first, invalid, now + 60_000);
    expect(again).toEqual(first);
  });

  it('key the queue and its metrics by kind', () => {
    const key = statusKey({
      apiVersion: 'oos.dev/v1alpha1',
      kind: 'AccountableRole',
      metadata: { name: 'r' },
    });
    expect(key).toBe('status/AccountableRole//r');
    expect(kindOfKey(key)).toBe('AccountableRole');
    expect(kindOfKey('escalation/ml/0123')).toBe('Escalation');
    expect(kindOfKey('netpol/ml/oos-interactions-chat')).toBe('NetworkPolicy');
    const stop = stopKey({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { namespace: 'ml', name: 'd' },
    });
    expect(stop).toBe('stop/apps/Deployment/ml/d');
    expect(kindOfKey(stop)).toBe('StopButton');
  });
});
