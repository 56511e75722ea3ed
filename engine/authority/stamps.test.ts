import { describe, expect, it } from 'vitest';
import { STAMPED_FIELDS } from '../../api/index.js';
import { alice, robot, snapshot } from '../testing/fixtures.js';
import { classifyActor } from './identity.js';
import { STAMP_RULES, stampOperations, verifyStamps } from './stamps.js';

const { policy } = snapshot();
const person = classifyActor(alice, policy);
const machine = classifyActor(robot, policy);
const obj = (spec: Record<string, unknown>) => ({ spec });

describe('stamp rules', () => {
  it('cover every stamped field api/ defines', () => {
    const covered = Object.fromEntries(
      Object.entries(STAMP_RULES).map(([kind, rules]) => [kind, Object.keys(rules).sort()]),
    );
    const defined = Object.fromEntries(
      Object.entries(STAMPED_FIELDS).map(([kind, fields]) => [kind, [...fields].sort()]),
    );
    expect(covered).toEqual(defined);
  });
});

describe('stampOperations (the mutating webhook)', () => {
  it('stamps the requester at the transition', () => {
    expect(stampOperations('Delegation', undefined, obj({}), person)).toEqual([
      { op: 'add', path: '/spec/grantedBy', value: 'alice' },
    ]);
    expect(
      stampOperations(
        'Exemption',
        obj({ approved: false, requestedBy: 'carol' }),
        obj({ approved: true, requestedBy: 'carol' }),
        person,
      ),
    ).toEqual([{ op: 'add', path: '/spec/approvedBy', value: 'alice' }]);
    expect(stampOperations('Escalation', obj({}), obj({ acknowledged: true }), person)).toEqual([
      { op: 'add', path: '/spec/acknowledgedBy', value: 'alice' },
    ]);
  });

  it('leaves a stamp the request set to someone else (validation denies it)', () => {
    expect(stampOperations('Delegation', undefined, obj({ grantedBy: 'bob' }), person)).toEqual([]);
    expect(stampOperations('Delegation', undefined, obj({ grantedBy: 'alice' }), person)).toEqual(
      [],
    );
  });

  it('restores a stamp the request dropped', () => {
    expect(stampOperations('Delegation', obj({ grantedBy: 'bob' }), obj({}), person)).toEqual([
      { op: 'add', path: '/spec/grantedBy', value: 'bob' },
    ]);
  });

  it('re-stamps a stamp carried over from an earlier transition', () => {
    const old = obj({ suspend: false, suspendedBy: 'bob', resumedBy: 'dana' });
    expect(
      stampOperations(
        'Capability',
        old,
        obj({ suspend: true, suspendedBy: 'bob', resumedBy: 'dana' }),
        person,
      ),
    ).toEqual([{ op: 'add', path: '/spec/suspendedBy', value: 'alice' }]);
  });

  it('stamps a machine only where a machine may act (suspending)', () => {
    expect(stampOperations('Capability', obj({}), obj({ suspend: true }), machine)).toEqual([
      { op: 'add', path: '/spec/suspendedBy', value: robot.username },
    ]);
    expect(stampOperations('Delegation', undefined, obj({}), machine)).toEqual([]);
  });

  it('does nothing for kinds without stamps or objects without a spec', () => {
    expect(stampOperations('AccountableRole', undefined, obj({}), person)).toEqual([]);
    expect(stampOperations('Delegation', undefined, { spec: 'x' }, person)).toEqual([]);
    expect(stampOperations('constructor', undefined, obj({}), person)).toEqual([]);
  });
});

describe('verifyStamps (validation)', () => {
  it('accepts the requester at the transition and untouched stamps otherwise', () => {
    expect(
      verifyStamps('Delegation', undefined, obj({ grantedBy: 'alice' }), person, 'D'),
    ).toBeUndefined();
    expect(
      verifyStamps(
        'Delegation',
        obj({ grantedBy: 'bob' }),
        obj({ grantedBy: 'bob', revoked: true }),
        person,
        'D',
      ),
    ).toBeUndefined();
  });

  it('refuses a stamp naming someone else', () => {
    expect(
      verifyStamps('Delegation', undefined, obj({ grantedBy: 'bob' }), person, 'D'),
    ).toMatchObject({ reason: 'StampForged' });
    expect(
      verifyStamps(
        'Exemption',
        undefined,
        obj({ requestedBy: 'alice', approvedBy: 'bob' }),
        person,
        'E',
      ),
    ).toMatchObject({ reason: 'StampForged' });
  });

  it('refuses a stamp changed or removed outside its transition', () => {
    expect(
      verifyStamps(
        'Delegation',
        obj({ grantedBy: 'bob' }),
        obj({ grantedBy: 'alice' }),
        person,
        'D',
      ),
    ).toMatchObject({ reason: 'StampForged' });
    const removed = verifyStamps('Delegation', obj({ grantedBy: 'bob' }), obj({}), person, 'D');
    expect(removed?.message).toContain('spec.grantedBy of D is removed');
  });

  it('reports a stamp missing at its transition (the mutating webhook did not run)', () => {
    expect(verifyStamps('Delegation', undefined, obj({}), person, 'D')).toMatchObject({
      reason: 'StampMissing',
    });
  });
});

describe('self-approval', () => {
  it('is never stamped: validation explains the refusal instead of a schema error', () => {
    expect(
      stampOperations(
        'Exemption',
        obj({ requestedBy: 'alice' }),
        obj({ requestedBy: 'alice', approved: true }),
        person,
      ),
    ).toEqual([]);
    expect(stampOperations('Exemption', undefined, obj({ approved: true }), person)).toEqual([
      { op: 'add', path: '/spec/requestedBy', value: 'alice' },
    ]);
  });
});
