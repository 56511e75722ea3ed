import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { NOW, escalation, snapshot } from '../engine/testing/fixtures.js';
import { buildApp, type AdmissionApp } from './app.js';
import { fixedGovernance } from './testing/fixed-governance.js';

let app: AdmissionApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** The admission server over a source that says which namespaces are being deleted. */
function start(terminating: readonly string[] | undefined): AdmissionApp {
  const current = snapshot();
  const governance = fixedGovernance(
    current,
    terminating === undefined
      ? {}
      : { namespaceTerminating: (ns: string) => terminating.includes(ns) },
  );
  app = buildApp({
    governance,
    registry: new Registry(),
    logger: pino({ level: 'silent' }),
    clock: () => NOW,
  });
  return app;
}

async function deleteEscalation(
  target: AdmissionApp,
): Promise<{ allowed: boolean; reason?: string }> {
  const response = await target.inject({
    method: 'POST',
    url: '/validate',
    payload: {
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: {
        uid: 'uid-1',
        kind: { group: 'oos.dev', version: 'v1alpha1', kind: 'Escalation' },
        operation: 'DELETE',
        namespace: 'ml',
        name: 'e',
        userInfo: {
          username: 'system:serviceaccount:kube-system:namespace-controller',
          groups: ['system:serviceaccounts'],
        },
        oldObject: escalation('e'),
      },
    },
  });
  const answer = response.json<{
    response: { allowed: boolean; status?: { reason?: string } };
  }>().response;
  return { allowed: answer.allowed, reason: answer.status?.reason };
}

describe('a namespace being deleted', () => {
  it('lets its evidence go with it, as the governance source reports it', async () => {
    expect(await deleteEscalation(start(['ml']))).toEqual({ allowed: true, reason: undefined });
  });

  it('keeps the evidence of any other namespace, and when the source cannot tell', async () => {
    expect(await deleteEscalation(start(['other']))).toMatchObject({
      allowed: false,
      reason: 'EvidenceRetained',
    });
    expect(await deleteEscalation(start(undefined))).toMatchObject({
      allowed: false,
      reason: 'EvidenceRetained',
    });
  });
});
