import { describe, expect, it } from 'vitest';
import type { GovernanceObjects } from '../snapshot.js';
import {
  anchoredOptions,
  capability,
  controller,
  delegation,
  deployment,
  escalationPolicy,
  exemption,
  holder,
  NOW,
  role,
  snapshot,
} from '../testing/fixtures.js';
import { auditWorkload, type Finding } from './audit.js';
import { escalationCauses } from './causes.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = NOW.getTime();

function causes(
  overrides: Partial<GovernanceObjects> = {},
  at = now,
  workloads: Record<string, unknown>[] = [],
) {
  const snap = snapshot(overrides);
  const findings = workloads
    .map((w) => auditWorkload(w, snap, undefined, new Date(at)))
    .filter((f): f is Finding => f !== undefined);
  return escalationCauses(snap, findings, at);
}

const summary = (list: ReturnType<typeof causes>) =>
  list.map((c) => `${c.trigger} ${c.subject.kind}/${c.subject.name}`);

describe('causes of escalation', () => {
  it('are none while every chain holds', () => {
    expect(causes()).toEqual([]);
  });

  it('include AccountabilityVacant for every capability of a role without a current holder', () => {
    const found = causes({ roles: [role(undefined, [holder('alice', '2026-05-01T00:00:00Z')])] });
    expect(summary(found)).toEqual([
      'AccountabilityVacant Capability/chat-assistant',
      'AccountabilityVacant Capability/forecasting',
    ]);
    expect(found[0]).toMatchObject({
      namespace: 'ml',
      severity: 'Critical',
      capability: 'chat-assistant',
      accountableRole: 'model-risk-officer',
      policy: undefined,
    });
    expect(found[0]?.summary).toContain('has no current holder');
    const missing = causes({ roles: [] });
    expect(missing[0]?.summary).toContain('which does not exist');
  });

  it('include AttestationExpiring when a current holder’s attestation lapses within the lead time', () => {
    const found = causes({ roles: [role(undefined, [holder('alice', '2026-06-05T00:00:00Z')])] });
    expect(summary(found)).toEqual([
      'AttestationExpiring AccountableRole/model-risk-officer',
      'AttestationExpiring AccountableRole/model-risk-officer',
    ]);
    expect(found.map((c) => c.capability)).toEqual(['chat-assistant', 'forecasting']);
    expect(found[0]?.summary).toContain('alice (until 2026-06-05T00:00:00Z)');
    expect(new Set(found.map((c) => c.name)).size).toBe(2);
  });

  it('follow a delegation from DelegationExpiring to DelegationExpired, and stop once renewed', () => {
    const until = Date.parse('2026-07-01T00:00:00Z');
    expect(causes({}, until - 15 * DAY)).toEqual([]);
    expect(summary(causes({}, until - 14 * DAY))).toEqual([
      'DelegationExpiring Delegation/chat-assistant-chat-bot',
    ]);
    const expired = causes({}, until);
    expect(summary(expired)).toEqual(['DelegationExpired Delegation/chat-assistant-chat-bot']);
    expect(expired[0]?.summary).toContain('expired at 2026-07-01T00:00:00Z');
    const renewed = {
      delegations: [delegation(), delegation('renewed', { validUntil: '2026-08-20T00:00:00Z' })],
    };
    expect(causes(renewed, until)).toEqual([]);
    expect(causes({ delegations: [delegation(undefined, { revoked: true })] }, until)).toEqual([]);
  });

  it('only include the triggers the routing policy lists, with its severity', () => {
    const overrides = {
      capabilities: [capability(undefined, { escalationPolicy: 'p' })],
      escalationPolicies: [
        escalationPolicy('p', { triggers: [{ type: 'DelegationExpired', severity: 'Info' }] }),
      ],
    };
    const until = Date.parse('2026-07-01T00:00:00Z');
    expect(causes(overrides, until - DAY)).toEqual([]);
    expect(causes(overrides, until)[0]).toMatchObject({ severity: 'Info', policy: 'p' });
  });

  it('include UnanchoredWorkload and BoundaryViolation for running workloads the audit found', () => {
    const bounded = capability(undefined, { boundaries: { maxReplicas: 1 } });
    const found = causes({ capabilities: [bounded] }, now, [
      deployment({ name: 'loose', image: 'vllm/vllm-openai:v0.6.3' }),
      deployment({ ...anchoredOptions, name: 'big', replicas: 3 }),
      deployment({ ...anchoredOptions, name: 'fine' }),
    ]);
    expect(summary(found)).toEqual([
      'BoundaryViolation Deployment/big',
      'UnanchoredWorkload Deployment/loose',
    ]);
    expect(found[1]?.summary).toContain('runs without an accountability chain (AnchorMissing)');
    expect(found[0]).toMatchObject({
      capability: 'chat-assistant',
      subject: { apiVersion: 'apps/v1' },
    });
  });

  it('include CapabilitySuspended while workloads the stop button leaves alone still run', () => {
    const stopped = capability(undefined, { suspend: true, suspendedBy: 'mallory' });
    const running = [
      deployment(anchoredOptions),
      controller('apps/v1', 'DaemonSet', anchoredOptions),
    ];
    const found = causes({ capabilities: [stopped] }, now, running);
    expect(summary(found)).toEqual(['CapabilitySuspended Capability/chat-assistant']);
    expect(found[0]?.summary).toContain(
      'by mallory but 1 workload still run (DaemonSet daemonset)',
    );
    const denyNew = capability(undefined, { suspend: true, stopAction: 'DenyNew' });
    expect(causes({ capabilities: [denyNew] }, now, running)[0]?.summary).toContain(
      '2 workloads still run',
    );
    expect(causes({ capabilities: [stopped] }, now, [deployment(anchoredOptions)])).toEqual([]);
  });

  it('include ExemptionExpired for an approved exemption past its expiry, not for a pending one', () => {
    const at = Date.parse('2026-06-10T00:00:00Z');
    expect(summary(causes({ exemptions: [exemption('incident')] }, at))).toEqual([
      'ExemptionExpired Exemption/incident',
    ]);
    expect(causes({ exemptions: [exemption('incident')] }, at - 1)).toEqual([]);
    const pending = exemption('pending', { approved: false, approvedBy: undefined });
    expect(causes({ exemptions: [pending] }, at)).toEqual([]);
  });

  it('are deterministic: the same situation gives the same names', () => {
    const overrides = { roles: [role(undefined, [])] };
    expect(causes(overrides).map((c) => c.name)).toEqual(causes(overrides).map((c) => c.name));
    expect(causes(overrides)[0]?.name).toMatch(
      /^accountability-vacant-chat-assistant-[0-9a-f]{12}$/,
    );
  });

  it('raise an Info ExemptAIWorkload for AI running in an exempt namespace, never for an Exemption', () => {
    const found = causes({}, now, [
      deployment({ name: 'vllm', image: 'vllm/vllm-openai:v0.6.3', namespace: 'kube-system' }),
    ]);
    expect(summary(found)).toEqual(['ExemptAIWorkload Deployment/vllm']);
    expect(found[0]).toMatchObject({ severity: 'Info', namespace: 'kube-system' });
  });
});
