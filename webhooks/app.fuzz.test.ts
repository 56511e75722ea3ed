import fc from 'fast-check';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSnapshot } from '../engine/index.js';
import { buildApp } from './app.js';
import type { GovernanceSource } from './governance-source.js';

const snapshot = buildSnapshot({
  roles: [],
  capabilities: [],
  delegations: [],
  exemptions: [],
  escalationPolicies: [],
  escalations: [],
  policies: [],
});
const governance: GovernanceSource = {
  snapshot: () => snapshot,
  namespaceLabels: () => undefined,
  synced: () => true,
  pending: () => [],
};
const app = buildApp({
  governance,
  registry: new Registry(),
  logger: pino({ level: 'silent' }),
  clock: () => new Date('2026-11-26T12:00:00Z'),
});
afterAll(() => app.close());

const validRequest = {
  uid: '00000000-0000-0000-0000-000000000001',
  kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
  resource: { group: 'apps', version: 'v1', resource: 'deployments' },
  operation: 'CREATE',
  namespace: 'ml',
  name: 'vllm',
  userInfo: { username: 'alice', groups: ['system:authenticated'] },
  object: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'vllm', namespace: 'ml' },
    spec: {
      template: { spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.6.3' }] } },
    },
  },
};

/** Anything JSON can hold, deep enough to reach into pod templates. */
const anyJson = fc.jsonValue({ maxDepth: 6 });

/** A valid review with one path replaced by arbitrary JSON, or removed. */
const mutatedReview = fc
  .tuple(
    fc.constantFrom(
      [],
      ['request'],
      ['request', 'uid'],
      ['request', 'kind'],
      ['request', 'kind', 'kind'],
      ['request', 'operation'],
      ['request', 'userInfo'],
      ['request', 'userInfo', 'groups'],
      ['request', 'object'],
      ['request', 'object', 'metadata'],
      ['request', 'object', 'spec'],
      ['request', 'object', 'spec', 'template'],
      ['request', 'object', 'spec', 'template', 'spec', 'containers'],
      ['request', 'oldObject'],
      ['apiVersion'],
      ['kind'],
    ),
    fc.option(anyJson, { nil: undefined }),
  )
  .map(([path, value]) => {
    const review: Record<string, unknown> = structuredClone({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: validRequest,
    });
    if (path.length === 0) return value;
    let cursor: Record<string, unknown> = review;
    for (const key of path.slice(0, -1)) {
      const next = cursor[key];
      if (typeof next !== 'object' || next === null) return review;
      cursor = next as Record<string, unknown>;
    }
    const last = path[path.length - 1] as string;
    if (value === undefined) Reflect.deleteProperty(cursor, last);
    else cursor[last] = value;
    return review;
  });

/** Raw bodies: mutated reviews as JSON, sometimes cut short or with junk around them. */
const body = fc.oneof(
  { weight: 6, arbitrary: mutatedReview.map((r) => JSON.stringify(r ?? null)) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(mutatedReview, fc.nat())
      .map(([r, n]) => JSON.stringify(r ?? null).slice(0, n)),
  },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: anyJson.map((v) => JSON.stringify(v)) },
);

function uidSent(raw: string): string | undefined {
  try {
    const uid = (JSON.parse(raw) as { request?: { uid?: unknown } } | null)?.request?.uid;
    return typeof uid === 'string' && uid.length > 0 ? uid : undefined;
  } catch {
    return undefined;
  }
}

describe('the admission server under malformed and mutated AdmissionReviews', () => {
  it('always answers a well-formed review carrying the uid, or a 400, and never crashes', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('/validate', '/mutate'), async (raw, url) => {
        const response = await app.inject({
          method: 'POST',
          url,
          headers: { 'content-type': 'application/json' },
          payload: raw,
        });
        answered++;
        expect([200, 400]).toContain(response.statusCode);
        const json = response.json<Record<string, unknown>>();
        const uid = uidSent(raw);
        if (response.statusCode === 400) {
          // Only a body with no readable uid may get a plain HTTP error.
          expect(uid).toBeUndefined();
          expect(json.code).toMatch(/^OOS_ERR_/);
          expect(typeof json.message).toBe('string');
          expect(response.body).not.toMatch(/\n\s+at /);
          return;
        }
        expect(json).toMatchObject({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' });
        const answer = json.response as {
          uid: string;
          allowed: boolean;
          status?: { message: string };
        };
        if (uid !== undefined) expect(answer.uid).toBe(uid);
        expect(typeof answer.allowed).toBe('boolean');
        if (!answer.allowed) expect(answer.status?.message).toEqual(expect.any(String));
      }),
      { numRuns: 10_000 },
    );
    expect(answered).toBe(10_000);
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
  }, 120_000);
});
