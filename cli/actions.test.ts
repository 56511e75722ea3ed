import { describe, expect, it } from 'vitest';
import { capabilityKind, escalationKind, exemptionKind } from '../api/index.js';
import { exemptionDigest } from '../engine/exemption-digest.js';
import type { JsonRecord } from '../engine/json.js';
import { ACTIONS, parseObjectReference } from './actions.js';
import { CliError } from './errors.js';

const exemption: JsonRecord = {
  metadata: { name: 'bench', namespace: 'ml', resourceVersion: '42' },
  spec: {
    capability: 'chat',
    scope: { names: ['bench'] },
    justification: 'One benchmark.',
    expiresAt: '2026-12-05T00:00:00Z',
    requestedBy: 'dan',
    approved: false,
  },
};

describe('the actions', () => {
  it('acknowledges with a note, and never twice', () => {
    expect(ACTIONS.ack.patch({}, { note: 'On it.' })).toEqual({
      spec: { acknowledged: true, acknowledgementNote: 'On it.' },
    });
    expect(ACTIONS.ack.done({ spec: { acknowledged: true, acknowledgedBy: 'erin' } })).toBe(
      'already acknowledged by erin',
    );
    expect(ACTIONS.ack.done({ spec: { acknowledged: false } })).toBeUndefined();
  });

  it('approves exactly the stored content: its digest, at the version read', () => {
    const digest = exemptionDigest(exemption.spec as Parameters<typeof exemptionDigest>[0]);
    expect(ACTIONS.approve.patch(exemption, {})).toEqual({
      metadata: { resourceVersion: '42' },
      spec: { approved: true, approvedDigest: digest },
    });
    expect(ACTIONS.approve.patch(exemption, { digest })).toMatchObject({
      spec: { approvedDigest: digest },
    });
  });

  it('refuses to approve when the content is not what was reviewed', () => {
    expect(() => ACTIONS.approve.patch(exemption, { digest: 'sha256:0000' })).toThrow(
      /is no longer what you reviewed/,
    );
  });

  it('suspends with a reason and resumes', () => {
    expect(ACTIONS.suspend.patch({}, { reason: 'Drift.' })).toEqual({
      spec: { suspend: true, suspendReason: 'Drift.' },
    });
    expect(ACTIONS.resume.patch({}, {})).toEqual({ spec: { suspend: false } });
    expect(ACTIONS.resume.done({ spec: { suspend: false } })).toBe('not suspended');
    expect(ACTIONS.suspend.done({ spec: { suspend: true, suspendedBy: 'erin' } })).toBe(
      'already suspended by erin',
    );
  });
});

describe('parseObjectReference', () => {
  it.each([
    ['escalation/x', escalationKind],
    ['esc/x', escalationKind],
    ['escalations.oos.dev/x', escalationKind],
    ['exm/x', exemptionKind],
    ['capability/x', capabilityKind],
    ['cap/x', capabilityKind],
    ['x', capabilityKind],
  ])('reads %s', (text, kind) => {
    expect(parseObjectReference(text, kind)).toBe('x');
  });

  it('refuses another kind', () => {
    expect(() => parseObjectReference('exemption/x', capabilityKind)).toThrow(CliError);
  });
});
