import { describe, expect, it } from 'vitest';
import {
  admission,
  carol,
  holder,
  policy,
  robot,
  role,
  snapshot,
  throughAdmission,
} from '../testing/fixtures.js';

const create = (object: object, user = carol, snap = snapshot()) =>
  throughAdmission(admission(object as Record<string, unknown>, { user }), snap);

describe('AccountableRole holders', () => {
  it('are people: a role of people is left to RBAC', () => {
    expect(create(role('ethics-board', [holder('erin')]), robot)).toMatchObject({
      allowed: true,
      reason: 'Authorized',
    });
  });

  it('are never ServiceAccounts or system: identities (the schema refuses them)', () => {
    const machine = {
      ...role(),
      spec: { ...role().spec, holders: [holder('system:serviceaccount:ml:bot')] },
    };
    expect(create(machine)).toMatchObject({ allowed: false, reason: 'InvalidObject' });
  });

  it('are never trusted appliers', () => {
    const snap = snapshot({ policies: [policy({ trustedAppliers: { users: ['deploy-bot'] } })] });
    const decision = create(role('ops', [holder('erin'), holder('deploy-bot')]), carol, snap);
    expect(decision).toMatchObject({ allowed: false, reason: 'HolderNotHuman' });
    expect(decision.message).toContain(
      'holder deploy-bot of AccountableRole ops is a trusted applier',
    );
  });
});
