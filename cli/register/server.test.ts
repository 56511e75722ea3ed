import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../engine/snapshot.js';
import { governance, NOW, OPERATOR_NAMESPACE } from '../../engine/testing/fixtures.js';
import { main, type CliIo } from '../main.js';
import {
  isLoopbackHost,
  parseFilter,
  requireLoopback,
  serveRegister,
  type RunningRegister,
} from './server.js';

const objects = governance();
const input = {
  snapshot: buildSnapshot(objects, { operatorNamespace: OPERATOR_NAMESPACE }),
  objects,
  findings: [],
  now: NOW,
  warnings: [],
};

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One HTTP request to the running register, with the Host header given (default: its own). */
function get(
  running: RunningRegister,
  path: string,
  options: { host?: string; method?: string } = {},
): Promise<Answer> {
  const url = new URL(path, running.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: options.method ?? 'GET',
        headers: { host: options.host ?? url.host },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('loopback only', () => {
  it('knows the loopback names', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) {
      expect(isLoopbackHost(host)).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '127.0.0.256', 'example.com', '']) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });

  it('refuses to listen anywhere else, with a clear error', async () => {
    expect(() => {
      requireLoopback('0.0.0.0');
    }).toThrow(/--host "0.0.0.0": the register listens on loopback only/);
    await expect(serveRegister('0.0.0.0', 0, () => Promise.resolve(input))).rejects.toThrow(
      /loopback only/,
    );
  });

  it('says so through oos, exit code 2, before reading any cluster', async () => {
    let err = '';
    const io: CliIo = {
      stdout: () => undefined,
      stderr: (text) => (err += text),
      readStdin: () => Promise.resolve(''),
      clock: () => NOW,
    };
    expect(await main(['register', '--host', '0.0.0.0', '--kubeconfig', '/nonexistent'], io)).toBe(
      2,
    );
    expect(err).toMatch(/^oos: OOS_ERR_USAGE: --host "0.0.0.0": the register listens on loopback/);
    err = '';
    expect(await main(['register', '--person', 'alice'], io)).toBe(2);
    expect(err).toContain('--namespace, --role and --person go with --output');
    err = '';
    expect(await main(['register', '--port', '70000'], io)).toBe(2);
    expect(err).toContain('--port "70000": expected 0 to 65535');
  });
});

describe('parseFilter', () => {
  it('reads the query string; empty values filter nothing', () => {
    expect(parseFilter(new URLSearchParams('namespace=ml&role=&person=alice&person=bob'))).toEqual({
      namespace: 'ml',
      role: undefined,
      person: 'alice',
    });
  });
});

describe('the served register', () => {
  let running: RunningRegister;
  let reads = 0;
  let fail = false;

  beforeAll(async () => {
    running = await serveRegister('127.0.0.1', 0, () => {
      reads++;
      return fail
        ? Promise.reject(new Error('cannot read the cluster: refused'))
        : Promise.resolve(input);
    });
  });
  afterAll(async () => {
    await running.close();
  });

  it('prints a URL on a free port', () => {
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('serves the page with headers that forbid script, framing and caching', async () => {
    const answer = await get(running, '/');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['content-security-policy']).toContain("default-src 'none'");
    expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.body).toContain('/chain/ml/Capability/chat-assistant');
  });

  it('filters by the query string', async () => {
    const answer = await get(running, '/?person=nobody');
    expect(answer.body).toContain('No capability matches.');
    expect(answer.body).not.toContain('<tr id="capability/ml/chat-assistant">');
  });

  it('serves chain views and a 404 for what does not exist', async () => {
    const chain = await get(running, '/chain/ml/Capability/chat-assistant');
    expect(chain.status).toBe(200);
    expect(chain.body).toContain('Chain of Capability ml/chat-assistant');
    const missing = await get(running, '/chain/ml/Deployment/%3Cscript%3E');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('Deployment ml/&lt;script&gt; is not in the register');
    expect((await get(running, '/elsewhere')).status).toBe(404);
  });

  it('answers only to its own loopback name (no DNS rebinding)', async () => {
    const port = new URL(running.url).port;
    expect((await get(running, '/', { host: `evil.example:${port}` })).status).toBe(421);
    expect((await get(running, '/', { host: `localhost:${port}` })).status).toBe(200);
    expect((await get(running, '/', { host: 'localhost:1' })).status).toBe(421);
  });

  it('is read-only', async () => {
    const answer = await get(running, '/', { method: 'POST' });
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('GET, HEAD');
  });

  it('reads the cluster on each page, and says when it cannot', async () => {
    const before = reads;
    await get(running, '/healthz');
    expect(reads).toBe(before);
    await get(running, '/');
    expect(reads).toBe(before + 1);
    fail = true;
    const answer = await get(running, '/');
    fail = false;
    expect(answer.status).toBe(502);
    expect(answer.body).toContain('cannot read the cluster: refused');
  });
});
