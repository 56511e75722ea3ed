/**
 * The admission server the fuzz runs drive: the real `buildApp()` over `inject()`, deciding
 * against the fixtures' governance, logging at info level into a sink so that every log line is
 * serialised as in production; an error logged counts as a crash. Test code only.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { NOW, OPERATOR_NAMESPACE, snapshot } from '../../engine/testing/fixtures.js';
import { buildApp, DEFAULT_BODY_LIMIT, type AdmissionApp } from '../app.js';
import type { Reply } from './fuzz-oracle.js';

export interface FuzzApp {
  readonly app: AdmissionApp;
  readonly bodyLimit: number;
  /** Error log lines (level error or fatal) written so far. */
  readonly errors: string[];
  post(url: string, raw: string): Promise<Reply>;
}

export function fuzzApp(bodyLimit = DEFAULT_BODY_LIMIT): FuzzApp {
  const errors: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const line = chunk.toString();
      if (/"level":(50|60)/.test(line)) errors.push(line);
      done();
    },
  });
  const current = snapshot(
    {},
    {
      operatorNamespace: OPERATOR_NAMESPACE,
      operatorUser: `system:serviceaccount:${OPERATOR_NAMESPACE}:oos`,
    },
  );
  const app = buildApp({
    governance: {
      snapshot: () => current,
      namespaceLabels: (namespace) =>
        namespace === 'ml' ? { 'oos.dev/enforcement': 'Enforce' } : undefined,
      synced: () => true,
      pending: () => [],
    },
    registry: new Registry(),
    logger: pino({ level: 'info' }, sink),
    clock: () => NOW,
    bodyLimit,
  });
  return {
    app,
    bodyLimit,
    errors,
    async post(url, raw) {
      const response = await app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload: raw,
      });
      return { statusCode: response.statusCode, body: response.body };
    },
  };
}
