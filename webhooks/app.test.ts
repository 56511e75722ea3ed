import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { GovernanceSnapshot } from '../engine/index.js';
import {
  NOW,
  alice,
  anchoredOptions,
  delegation,
  deployment,
  policy,
  robot,
  snapshot,
} from '../engine/testing/fixtures.js';
import { buildApp, type AdmissionApp } from './app.js';
import type { GovernanceSource } from './governance-source.js';
import { fixedGovernance } from './testing/fixed-governance.js';

interface Answer {
  uid: string;
  allowed: boolean;
  status?: { code: number; reason: string; message: string };
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
  patchType?: string;
  patch?: string;
}

let app: AdmissionApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function start(
  current: GovernanceSnapshot | undefined,
  labels: Record<string, Record<string, string>> = {},
  bodyLimit?: number,
): { app: AdmissionApp; registry: Registry } {
  const governance: GovernanceSource = {
    snapshot: () => current,
    namespaceLabels: (ns) => labels[ns],
    synced: () => current !== undefined,
    pending: () => (current ? [] : ['Capability']),
  };
  const registry = new Registry();
  app = buildApp({
    governance,
    registry,
    logger: pino({ level: 'silent' }),
    clock: () => NOW,
    ...(bodyLimit === undefined ? {} : { bodyLimit }),
  });
  return { app, registry };
}

function review(object: Record<string, unknown>, user = alice, operation = 'CREATE'): unknown {
  const kind = object.kind as string;
  const apiVersion = object.apiVersion as string;
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: `uid-${kind}`,
      kind: { group, version, kind },
      operation,
      namespace: (object.metadata as { namespace?: string }).namespace,
      userInfo: user,
      object,
    },
  };
}

async function post(target: AdmissionApp, url: string, body: unknown): Promise<Answer> {
  const response = await target.inject({ method: 'POST', url, payload: body as object });
  expect(response.statusCode).toBe(200);
  return response.json<{ response: Answer }>().response;
}

describe('POST /validate', () => {
  it('refuses an unanchored AI Deployment, with the reason code leading the message', async () => {
    const { app: a } = start(snapshot());
    const answer = await post(
      a,
      '/validate',
      review(deployment({ image: 'vllm/vllm-openai:v0.6.3' })),
    );
    expect(answer.uid).toBe('uid-Deployment');
    expect(answer.allowed).toBe(false);
    expect(answer.status).toMatchObject({ code: 403, reason: 'AnchorMissing' });
    expect(answer.status?.message).toMatch(/^AnchorMissing: /);
    expect(answer.auditAnnotations).toMatchObject({ reason: 'AnchorMissing', mode: 'Enforce' });
  });

  it('admits an anchored one and names the chain in audit annotations', async () => {
    const { app: a } = start(snapshot());
    const answer = await post(a, '/validate', review(deployment(anchoredOptions)));
    expect(answer.allowed).toBe(true);
    expect(answer.status).toBeUndefined();
    expect(answer.auditAnnotations).toMatchObject({
      reason: 'Anchored',
      capability: 'chat-assistant',
      role: 'model-risk-officer',
      delegation: 'chat-assistant-chat-bot',
    });
  });

  it('admits with a warning in Warn mode, chosen by the namespace labels', async () => {
    const warn = snapshot({
      policies: [
        policy({
          enforcementRules: [
            { namespaceSelector: { matchLabels: { tier: 'lab' } }, enforcement: 'Warn' },
          ],
        }),
      ],
    });
    const { app: a } = start(warn, { ml: { tier: 'lab' } });
    const answer = await post(
      a,
      '/validate',
      review(deployment({ image: 'vllm/vllm-openai:v0.6.3' })),
    );
    expect(answer.allowed).toBe(true);
    expect(answer.warnings?.join(' ')).toContain('oos.dev/capability');
  });

  it('fails closed before the governance cache has synced', async () => {
    const { app: a } = start(undefined);
    const answer = await post(a, '/validate', review(deployment(anchoredOptions)));
    expect(answer).toMatchObject({
      allowed: false,
      status: { code: 503, reason: 'GovernanceNotSynced' },
    });
    const ready = await a.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'not ready', pending: ['Capability'] });
  });

  it('says when it decides on governance whose watch has been down too long, and counts it', async () => {
    const governance = fixedGovernance(snapshot(), {
      staleSince: () => ({ since: NOW.getTime() - 45_000, kinds: ['Delegation'] }),
    });
    const registry = new Registry();
    const warned = buildApp({
      governance,
      registry,
      logger: pino({ level: 'silent' }),
      clock: () => NOW,
    });
    app = warned;
    const answer = await post(warned, '/validate', review(deployment(anchoredOptions)));
    expect(answer.allowed).toBe(true);
    expect(answer.warnings).toEqual([
      expect.stringContaining('last confirmed 45 s ago (its watch of Delegation'),
    ]);
    expect(answer.auditAnnotations).toMatchObject({
      reason: 'Anchored',
      staleGovernanceSeconds: '45',
    });
    const metrics = await registry.metrics();
    expect(metrics).toContain('oos_admission_stale_decisions_total{action="warned"} 1');
    expect(metrics).toContain('oos_governance_staleness_seconds 45');
    await warned.close();

    const denying = buildApp({
      governance,
      registry: new Registry(),
      logger: pino({ level: 'silent' }),
      clock: () => NOW,
      staleness: { maxMs: 30_000, action: 'deny' },
    });
    app = denying;
    const refused = await post(denying, '/validate', review(deployment(anchoredOptions)));
    expect(refused).toMatchObject({
      allowed: false,
      status: { code: 503, reason: 'GovernanceStale' },
    });
  });

  it('refuses a Delegation created by a machine', async () => {
    const { app: a } = start(snapshot());
    const answer = await post(a, '/validate', review(delegation('bot-grant'), robot));
    expect(answer.allowed).toBe(false);
  });
});

describe('POST /mutate', () => {
  it('stamps grantedBy with the requester on a new Delegation', async () => {
    const { app: a } = start(snapshot());
    const answer = await post(
      a,
      '/mutate',
      review(delegation('new-grant', { grantedBy: undefined }), alice),
    );
    expect(answer.allowed).toBe(true);
    expect(answer.patchType).toBe('JSONPatch');
    const patch = JSON.parse(Buffer.from(answer.patch ?? '', 'base64').toString()) as {
      path: string;
      value: unknown;
    }[];
    expect(patch).toContainEqual(
      expect.objectContaining({ path: '/spec/grantedBy', value: 'alice' }),
    );
  });

  it('never patches a workload', async () => {
    const { app: a } = start(snapshot());
    const answer = await post(a, '/mutate', review(deployment(anchoredOptions)));
    expect(answer).toMatchObject({ allowed: true });
    expect(answer.patch).toBeUndefined();
  });
});

describe('bad input', () => {
  it('answers HTTP 400 with a coded error when there is no uid to answer', async () => {
    const { app: a } = start(snapshot());
    const response = await a.inject({
      method: 'POST',
      url: '/validate',
      payload: { hello: 'world' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      code: 'OOS_ERR_BAD_ADMISSION_REVIEW',
      message: expect.stringContaining('AdmissionReview') as string,
    });
  });

  it('refuses an oversized body with 413 and no stack', async () => {
    const { app: a } = start(snapshot(), {}, 2048);
    const response = await a.inject({
      method: 'POST',
      url: '/validate',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ padding: 'x'.repeat(4096) }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({
      code: 'OOS_ERR_BODY_TOO_LARGE',
      message: 'the body is larger than the limit of 2048 bytes',
    });
  });

  it('refuses a body that is not JSON with 415', async () => {
    const { app: a } = start(snapshot());
    const response = await a.inject({
      method: 'POST',
      url: '/validate',
      headers: { 'content-type': 'text/plain' },
      payload: 'hi',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json<{ code: string }>().code).toBe('OOS_ERR_UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers unknown paths with 404 and where admission is served', async () => {
    const { app: a } = start(snapshot());
    const response = await a.inject({ method: 'POST', url: '/admit' });
    expect(response.statusCode).toBe(404);
    expect(response.json<{ message: string }>().message).toContain('POST /validate');
  });
});

describe('metrics', () => {
  it('counts decisions by kind, operation, decision and reason, and times them', async () => {
    const { app: a } = start(snapshot());
    await post(a, '/validate', review(deployment({ image: 'vllm/vllm-openai:v0.6.3' })));
    await post(a, '/validate', review(deployment(anchoredOptions)));
    const text = (await a.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toContain(
      'oos_admission_reviews_total{kind="Deployment",operation="CREATE",decision="deny",reason="AnchorMissing"} 1',
    );
    expect(text).toContain(
      'oos_admission_reviews_total{kind="Deployment",operation="CREATE",decision="allow",reason="Anchored"} 1',
    );
    // The apiserver's own webhook buckets are there; how long the two decisions took is not
    // asserted (tests never assert on wall time), only that both were timed.
    for (const le of ['0.005', '0.025', '0.1']) {
      expect(text).toMatch(
        new RegExp(
          `oos_admission_review_duration_seconds_bucket\\{le="${le}",kind="Deployment",operation="CREATE"\\} [012]\\n`,
        ),
      );
    }
    expect(text).toContain(
      'oos_admission_review_duration_seconds_count{kind="Deployment",operation="CREATE"} 2',
    );
    expect(text).toContain('oos_governance_cache_synced 1');
  });

  it('serves the controller thread’s metrics, given as UTF-8 bytes, after its own', async () => {
    const more = '# HELP oos_more More: “quoted”.\n# TYPE oos_more gauge\noos_more{x="é"} 1\n';
    const registry = new Registry();
    const a = buildApp({
      governance: {
        snapshot: () => snapshot(),
        namespaceLabels: () => undefined,
        synced: () => true,
        pending: () => [],
      },
      registry,
      logger: pino({ level: 'silent' }),
      moreMetrics: () => Promise.resolve(new TextEncoder().encode(more)),
    });
    const response = await a.inject({ method: 'GET', url: '/metrics' });
    expect(response.headers['content-type']).toBe(registry.contentType);
    expect(response.body).toBe((await registry.metrics()) + more);
    await a.close();
  });
});
