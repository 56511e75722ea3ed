import { request as httpRequest, type IncomingMessage } from 'node:http';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { NOW, deployment, snapshot } from '../engine/testing/fixtures.js';
import { buildApp, type AdmissionApp, type AppOptions } from './app.js';
import { LARGE_BODY_BYTES } from './large-bodies.js';
import { fixedGovernance } from './testing/fixed-governance.js';

let app: AdmissionApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function start(options: Partial<AppOptions> = {}): AdmissionApp {
  const current = snapshot();
  app = buildApp({
    governance: fixedGovernance(current),
    registry: new Registry(),
    logger: pino({ level: 'silent' }),
    clock: () => NOW,
    ...options,
  });
  return app;
}

/** A CREATE review of a Deployment whose spec carries `extra` (raw JSON) under `spec.extra`. */
function reviewWith(extra: string, uid: string | null = 'uid-deep'): string {
  const object = deployment({ image: 'nginx' }) as { spec: Record<string, unknown> };
  object.spec.extra = 'EXTRA';
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      ...(uid === null ? {} : { uid }),
      kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      operation: 'UPDATE',
      namespace: 'ml',
      userInfo: { username: 'alice' },
      object,
      oldObject: object,
    },
  }).replace('"EXTRA"', extra);
}

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

describe('deeply nested bodies', () => {
  it.each([
    ['just over the limit', 130],
    ['ten thousand levels', 10_000],
    ['a million levels', 1_000_000],
  ])('%s: a denial with code 400, its uid and a clear message', async (_name, depth) => {
    const a = start();
    for (const url of ['/validate', '/mutate']) {
      const response = await a.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload: reviewWith(nested(depth)),
      });
      expect(response.statusCode).toBe(200);
      const answer = response.json<{
        response: { uid: string; allowed: boolean; status: { code: number; message: string } };
      }>().response;
      expect(answer).toMatchObject({
        uid: 'uid-deep',
        allowed: false,
        status: { code: 400, reason: 'BadRequest' },
      });
      expect(answer.status.message).toMatch(/nests deeper than 128 levels/);
      expect(answer.status.message).not.toMatch(/report|bug|maintainer|stack/i);
    }
  });

  it('answers HTTP 400 OOS_ERR_BODY_TOO_DEEP when there is no uid', async () => {
    const a = start();
    const response = await a.inject({
      method: 'POST',
      url: '/validate',
      headers: { 'content-type': 'application/json' },
      payload: reviewWith(nested(100_000), null),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      code: 'OOS_ERR_BODY_TOO_DEEP',
      message: expect.stringMatching(/nests deeper than 128 levels/) as string,
    });
  });

  it('decides a body as deep as the limit allows, and takes a configured limit', async () => {
    // The envelope and the Deployment put spec.extra at depth 5.
    const within = reviewWith(nested(128 - 5));
    const decided = await start().inject({
      method: 'POST',
      url: '/validate',
      headers: { 'content-type': 'application/json' },
      payload: within,
    });
    expect(
      decided.json<{ response: { status?: { reason: string } } }>().response.status?.reason,
    ).not.toBe('BadRequest');
    await app?.close();
    const stricter = await start({ maxBodyDepth: 16 }).inject({
      method: 'POST',
      url: '/validate',
      headers: { 'content-type': 'application/json' },
      payload: within,
    });
    expect(
      stricter.json<{ response: { status: { message: string } } }>().response.status.message,
    ).toMatch(/deeper than 16 levels/);
  });
});

describe('large bodies', () => {
  it('closes the connection after refusing an oversized body', async () => {
    const response = await start({ bodyLimit: 4096 }).inject({
      method: 'POST',
      url: '/validate',
      headers: { 'content-type': 'application/json' },
      payload: reviewWith(JSON.stringify('x'.repeat(8192))),
    });
    expect(response.statusCode).toBe(413);
    expect(response.headers.connection).toBe('close');
  });

  it('answers many large bodies one after the other (slots are given back)', async () => {
    const a = start({ largeBodySlots: 1 });
    const body = reviewWith(JSON.stringify('x'.repeat(LARGE_BODY_BYTES)));
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        a.inject({
          method: 'POST',
          url: '/validate',
          headers: { 'content-type': 'application/json' },
          payload: body,
        }),
      ),
    );
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
  });

  it('holds a large body back while the slots are taken, and keeps /healthz and small reviews answered', async () => {
    const a = start({ largeBodySlots: 1 });
    await a.listen({ host: '127.0.0.1', port: 0 });
    const { port } = a.server.address() as { port: number };
    const send = (
      path: string,
      body?: string,
      length = body === undefined ? undefined : Buffer.byteLength(body),
    ): { req: ReturnType<typeof httpRequest>; answered: Promise<number> } => {
      let req!: ReturnType<typeof httpRequest>;
      const answered = new Promise<number>((resolve, reject) => {
        req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            path,
            method: body === undefined ? 'GET' : 'POST',
            agent: false,
            headers:
              length === undefined
                ? {}
                : { 'content-type': 'application/json', 'content-length': length },
          },
          (res: IncomingMessage) => {
            res.resume();
            res.on('end', () => {
              resolve(res.statusCode ?? 0);
            });
          },
        );
        req.on('error', reject);
      });
      return { req, answered };
    };
    const large = reviewWith(JSON.stringify('x'.repeat(LARGE_BODY_BYTES)));
    // The first large body arrives half, and stalls: it holds the only slot.
    const stalled = send('/validate', large);
    stalled.req.write(large.slice(0, large.length / 2));
    await new Promise((r) => setTimeout(r, 50));
    // A second large body is sent whole: it waits.
    const waiting = send('/validate', large);
    let waited = true;
    void waiting.answered.then(() => (waited = false));
    waiting.req.end(large);
    // Health and small reviews are answered meanwhile.
    const health = send('/healthz');
    health.req.end();
    expect(await health.answered).toBe(200);
    const small = send('/validate', reviewWith('1'));
    small.req.end(reviewWith('1'));
    expect(await small.answered).toBe(200);
    expect(waited).toBe(true);
    // The stalled body completes: both large ones are answered.
    stalled.req.end(large.slice(large.length / 2));
    expect(await stalled.answered).toBe(200);
    expect(await waiting.answered).toBe(200);
  });

  it('gives the slot back when a sender goes away mid-body', async () => {
    const a = start({ largeBodySlots: 1 });
    await a.listen({ host: '127.0.0.1', port: 0 });
    const { port } = a.server.address() as { port: number };
    const large = reviewWith(JSON.stringify('x'.repeat(LARGE_BODY_BYTES)));
    const post = (body: string, whole: boolean): Promise<number> =>
      new Promise((resolve) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            path: '/validate',
            method: 'POST',
            agent: false,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => {
              resolve(res.statusCode ?? 0);
            });
          },
        );
        req.on('error', () => {
          resolve(-1);
        });
        if (whole) req.end(body);
        else {
          req.write(body.slice(0, 1000));
          setTimeout(() => req.destroy(), 50);
        }
      });
    expect(await post(large, false)).toBe(-1);
    expect(await post(large, true)).toBe(200);
  });

  it('gives the slot back when a sender goes away while waiting for one', async () => {
    const a = start({ largeBodySlots: 1 });
    await a.listen({ host: '127.0.0.1', port: 0 });
    const { port } = a.server.address() as { port: number };
    const large = reviewWith(JSON.stringify('x'.repeat(LARGE_BODY_BYTES)));
    const open = (): { req: ReturnType<typeof httpRequest>; status: Promise<number> } => {
      let req!: ReturnType<typeof httpRequest>;
      const status = new Promise<number>((resolve) => {
        req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            path: '/validate',
            method: 'POST',
            agent: false,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(large),
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => {
              resolve(res.statusCode ?? 0);
            });
          },
        );
        req.on('error', () => {
          resolve(-1);
        });
      });
      return { req, status };
    };
    const holder = open();
    holder.req.write(large.slice(0, 1000));
    await new Promise((r) => setTimeout(r, 50));
    const quitter = open();
    quitter.req.write(large.slice(0, 1000));
    await new Promise((r) => setTimeout(r, 50));
    quitter.req.destroy();
    expect(await quitter.status).toBe(-1);
    holder.req.end(large.slice(1000));
    expect(await holder.status).toBe(200);
    // Were the quitter's slot lost, this one would wait forever.
    const next = open();
    next.req.end(large);
    expect(await next.status).toBe(200);
  });
});
