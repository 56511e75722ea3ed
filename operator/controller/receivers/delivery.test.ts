import { createServer, type Server } from 'node:http';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Delivery } from './delivery.js';

const logger = pino({ level: 'silent' });

/** Polls `done` every 10 ms until it holds, failing after 5 s. */
async function until(what: string, done: () => boolean): Promise<void> {
  for (let waited = 0; !done(); waited += 10) {
    if (waited > 5_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
let server: Server | undefined;

/** A loopback server answering with the given statuses in turn, recording the bodies. */
async function serve(statuses: number[]): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`,
    bodies,
  };
}

afterEach(async () => {
  const closing = server;
  server = undefined;
  if (closing !== undefined) {
    await new Promise<void>((resolve) => {
      closing.close(() => {
        resolve();
      });
    });
  }
});

describe('delivering a notification', () => {
  it('retries a 5xx with backoff until it is accepted', async () => {
    const { url, bodies } = await serve([503, 500]);
    const outcomes: string[] = [];
    const delivery = new Delivery({
      name: 't',
      url,
      logger,
      baseDelayMs: 10,
      onOutcome: (o) => outcomes.push(o),
    });
    delivery.post({ hello: 'world' });
    await until('the delivery', () => outcomes.includes('delivered'));
    expect(outcomes).toEqual(['retried', 'retried', 'delivered']);
    expect(bodies).toEqual(Array(3).fill('{"hello":"world"}'));
    await delivery.stop();
  });

  it('gives up at once on a 4xx, and after the last attempt otherwise', async () => {
    const { url } = await serve([400, 500, 500]);
    const outcomes: string[] = [];
    const delivery = new Delivery({
      name: 't',
      url,
      logger,
      baseDelayMs: 10,
      maxAttempts: 2,
      onOutcome: (o) => outcomes.push(o),
    });
    delivery.post({});
    await until('the refusal', () => outcomes.length === 1);
    expect(outcomes).toEqual(['failed']);
    delivery.post({});
    await until('two attempts', () => outcomes.length === 3);
    expect(outcomes).toEqual(['failed', 'retried', 'failed']);
    await delivery.stop();
  });
});
