import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeRest } from '../kube/rest.js';
import { credentialAccess } from '../kube/access.js';
import { DeviceClaims, DRA_API } from './device-claims.js';

/** A plain HTTP stand-in for an apiserver: 404 for DRA until `serve` is set, then a list and an idle watch. */
function apiserver() {
  const state = { serve: false, watches: [] as ServerResponse[] };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!state.serve || !url.pathname.startsWith(DRA_API)) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'Status',
          code: 404,
          reason: 'NotFound',
          message: 'the server could not find the requested resource',
        }),
      );
      return;
    }
    if (url.searchParams.get('watch') === 'true') {
      res.writeHead(200, { 'content-type': 'application/json' });
      state.watches.push(res);
      return;
    }
    const items = url.pathname.endsWith('/resourceclaims')
      ? [
          {
            metadata: { name: 'gpu', namespace: 'ml', resourceVersion: '2' },
            spec: {
              devices: {
                requests: [{ name: 'g', exactly: { deviceClassName: 'gpu.nvidia.com' } }],
              },
            },
          },
        ]
      : [];
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ metadata: { resourceVersion: '2' }, items }));
  });
  return { server, state };
}

function restFor(server: Server): KubeRest {
  const { port } = server.address() as AddressInfo;
  return new KubeRest(credentialAccess({ server: `http://127.0.0.1:${String(port)}` }));
}

const until = async (condition: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
};

describe('the DRA informers', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
  });

  it('count as empty and synced when the apiserver does not serve resource.k8s.io/v1, and pick it up later', async () => {
    const { server, state } = apiserver();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    let changes = 0;
    const devices = new DeviceClaims({
      rest: restFor(server),
      logger,
      absentRetryMs: 20,
      onChange: () => {
        changes += 1;
      },
    });
    for (const informer of devices.informers) informer.start();
    stop = async () => {
      await Promise.all(devices.informers.map((i) => i.stop()));
      for (const watch of state.watches) watch.end();
      await new Promise((r) => server.close(r));
    };
    await until(() => devices.informers.every((i) => i.synced()));
    expect(devices.index().claims.size).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    const absent = lines.filter((l) => l.includes('does not serve this API'));
    expect(absent).toHaveLength(3); // once per kind, however many retries
    expect(changes).toBe(3);

    state.serve = true;
    await until(() => devices.index().claims.has('ml/gpu'));
  });
});
