import { createServer } from 'node:https';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyRequest,
  type FastifyServerFactory,
} from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import {
  decide,
  stampPatch,
  type AdmissionInput,
  type GovernanceSnapshot,
} from '../engine/index.js';
import { parseJsonBody } from './admission/body.js';
import {
  handleReview,
  toAdmissionInput,
  type HandlerResult,
  type Outcome,
} from './admission/handler.js';
import type { Verdict } from './admission/response.js';
import type { AdmissionRequest } from './admission/review.js';
import { awaitScaleTarget, withScaleTarget } from './admission/scale.js';
import type { GovernanceSource } from './governance-source.js';
import { announcesLargeBody, LARGE_BODY_BYTES, LargeBodies } from './large-bodies.js';
import { DEFAULT_BODY_LIMIT, DEFAULT_MAX_BODY_DEPTH, DEFAULT_MAX_CONNECTIONS } from './limits.js';
import { createAdmissionMetrics, type AdmissionMetrics } from './metrics.js';
import { DEFAULT_STALENESS, staleVerdict, type StalenessPolicy } from './admission/stale.js';
import type { ErrorCode } from '../api/error-codes.js';

export { DEFAULT_BODY_LIMIT } from './limits.js';

/**
 * Node's default is 300 s. The apiserver gives a webhook at most 30 s (`timeoutSeconds`), so a
 * body still arriving after that (a slow sender, or one waiting for a large-body slot) is
 * answered 408 and its connection closed.
 */
const REQUEST_TIMEOUT_MS = 30_000;
const HEADERS_TIMEOUT_MS = 10_000;
/**
 * How long an idle connection is kept open. The apiserver keeps its idle connections to a
 * webhook for 90 s (client-go's transport: Go's `IdleConnTimeout`, up to 25 per host) and reuses
 * them; Node's default of 5 s (fastify's own default is not applied to a server it did not
 * create) closed them between bursts, so the apiserver kept opening new ones: a full TLS
 * handshake each (client-go resumes no sessions), native memory churned by the allocator, and a
 * window where a review sent just as the server closed the connection fails. Longer than the
 * apiserver's, so the apiserver is the side that closes an idle connection.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 120_000;

export interface TlsSource {
  /** The serving key and certificate (PEM) to use now. */
  current(): { readonly key: string; readonly cert: string };
  /** Called with every new key pair (rotation, or files rewritten by cert-manager). */
  onChange(listener: () => void): void;
}

/** The admission server as `buildApp` returns it. */
export type AdmissionApp = FastifyInstance<Server, IncomingMessage, ServerResponse, Logger>;

export interface AppOptions {
  readonly governance: GovernanceSource;
  readonly registry: Registry;
  readonly logger: Logger;
  /** Serve HTTPS with these certificates; without, plain HTTP (for `app.inject()` in tests). */
  readonly tls?: TlsSource;
  readonly clock?: () => Date;
  readonly bodyLimit?: number;
  /** How deeply a body may nest objects and arrays (default {@link DEFAULT_MAX_BODY_DEPTH}). */
  readonly maxBodyDepth?: number;
  /** How many large bodies are read and parsed at once (see `large-bodies.ts`). */
  readonly largeBodySlots?: number;
  /** How many connections are held at once (default {@link DEFAULT_MAX_CONNECTIONS}). */
  readonly maxConnections?: number;
  /** What a decision on stale governance gets (default {@link DEFAULT_STALENESS}). */
  readonly staleness?: StalenessPolicy;
  /** More of `/metrics` in the text format, UTF-8, after the registry's (the controller thread's). */
  readonly moreMetrics?: () => Promise<Uint8Array>;
}

const NOT_SYNCED: Verdict = {
  allowed: false,
  code: 503,
  reason: 'GovernanceNotSynced',
  message:
    'oos has not finished reading the governance objects yet (failing closed); retry in a few seconds',
};

function outcomeOf(
  request: AdmissionRequest,
  allowed: boolean,
  warnings: readonly string[],
  reason: string,
  message: string,
): Outcome {
  const decision = !allowed ? 'deny' : warnings.length > 0 ? 'warn' : 'allow';
  return { request, decision, reason, message };
}

/**
 * The admission server: `POST /validate` (workloads and oos kinds), `POST /mutate` (stamps
 * identity fields on oos kinds), `/healthz`, `/readyz` (ready once governance is synced) and
 * `/metrics`. `listen()` is the caller's; tests use `app.inject()`.
 */
export function buildApp(options: AppOptions): AdmissionApp {
  const { governance, registry, logger } = options;
  const clock = options.clock ?? ((): Date => new Date());
  const staleness = options.staleness ?? DEFAULT_STALENESS;
  const metrics: AdmissionMetrics = createAdmissionMetrics(
    registry,
    () => governance.synced(),
    () => {
      const since = governance.staleSince?.()?.since;
      return since === undefined ? 0 : Math.max(0, clock().getTime() - since) / 1000;
    },
  );
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const maxBodyDepth = options.maxBodyDepth ?? DEFAULT_MAX_BODY_DEPTH;
  const largeBodies = new LargeBodies(options.largeBodySlots);
  const { tls } = options;

  const serverFactory: FastifyServerFactory | undefined = tls
    ? (handler) => {
        const server = createServer(
          {
            ...tls.current(),
            minVersion: 'TLSv1.2',
            requestTimeout: REQUEST_TIMEOUT_MS,
            headersTimeout: HEADERS_TIMEOUT_MS,
          },
          handler,
        );
        server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
        server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
        server.on('secureConnection', (socket: Socket) => {
          metrics.connections.inc({ outcome: 'accepted' });
          metrics.connectionsOpen.inc();
          socket.once('close', () => {
            metrics.connectionsOpen.dec();
          });
        });
        server.on('drop', () => {
          metrics.connections.inc({ outcome: 'dropped' });
        });
        tls.onChange(() => {
          server.setSecureContext({ ...tls.current(), minVersion: 'TLSv1.2' });
          logger.info('serving certificate reloaded');
        });
        return server;
      }
    : undefined;
  const app = Fastify({
    loggerInstance: logger,
    // One log line per admission decision is written below; no per-request access log.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit,
    // While a replica shuts down (after the preStop delay took it out of the Service), requests
    // still arriving on kept-alive connections are answered, not refused with 503: a 503 would be
    // a failed webhook call, and admission fails closed.
    return503OnClosing: false,
    ...(serverFactory ? { serverFactory } : {}),
  });

  // A large body waits for a slot before it is read; one announced over the limit is refused
  // at once (by fastify, from its Content-Length) without waiting or reading.
  app.addHook('preParsing', async (request, reply, payload) => {
    const declared = Number(request.headers['content-length']);
    if (!announcesLargeBody(request.headers) || declared > bodyLimit) return payload;
    const release = await largeBodies.admit();
    // 'close' comes when the answer is sent and when the connection is lost: both free the slot.
    reply.raw.once('close', release);
    if (reply.raw.closed || request.raw.destroyed) release();
    return payload;
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/json', 'application/json; charset=utf-8'],
    { parseAs: 'string', bodyLimit },
    async (_request: FastifyRequest, raw: string): Promise<unknown> => {
      if (raw.length > LARGE_BODY_BYTES) await largeBodies.turn();
      return parseJsonBody(raw, maxBodyDepth);
    },
  );
  app.setErrorHandler(
    (error: { statusCode?: number; code?: string; message: string }, _req, reply) => {
      const status =
        error.statusCode && error.statusCode >= 400 && error.statusCode < 500
          ? error.statusCode
          : 500;
      const code: ErrorCode =
        error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'OOS_ERR_BODY_TOO_LARGE'
          : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? 'OOS_ERR_UNSUPPORTED_MEDIA_TYPE'
            : status === 500
              ? 'OOS_ERR_INTERNAL'
              : 'OOS_ERR_BAD_REQUEST';
      const message =
        code === 'OOS_ERR_BODY_TOO_LARGE'
          ? `the body is larger than the limit of ${bodyLimit} bytes`
          : status === 500
            ? 'internal error'
            : error.message;
      if (status === 500) logger.error({ err: error }, 'unexpected error answering a request');
      // The sender of an oversized body may still be sending it: stop reading, close.
      if (code === 'OOS_ERR_BODY_TOO_LARGE') void reply.header('connection', 'close');
      void reply.code(status).send({ code, message });
    },
  );
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({
      code: 'OOS_ERR_NOT_FOUND' satisfies ErrorCode,
      message: `no route ${request.method} ${request.url}; admission is served at POST /validate and POST /mutate`,
    });
  });

  const answer = (
    body: unknown,
    evaluate: (request: AdmissionRequest) => { verdict: Verdict; outcome: Outcome },
    endpoint: 'validate' | 'mutate',
  ): HandlerResult => {
    const started = process.hrtime.bigint();
    const result = handleReview(body, evaluate);
    if (result.status !== 200) {
      metrics.reviews.inc({
        kind: 'unknown',
        operation: 'unknown',
        decision: 'error',
        reason: 'BadRequest',
      });
      logger.warn({ endpoint, error: result.error.message }, 'unreadable AdmissionReview');
      return result;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const { outcome } = result;
    const kind = outcome.request?.kind.kind ?? 'unknown';
    const operation = outcome.request?.operation ?? 'unknown';
    metrics.reviews.inc({ kind, operation, decision: outcome.decision, reason: outcome.reason });
    metrics.duration.observe({ kind, operation }, seconds);
    logger.info(
      {
        endpoint,
        uid: result.review.response.uid,
        kind,
        operation,
        namespace: outcome.request?.namespace,
        name: outcome.request?.name ?? objectName(outcome.request?.object),
        user: outcome.request?.userInfo.username,
        dryRun: outcome.request?.dryRun === true,
        allowed: result.review.response.allowed,
        decision: outcome.decision,
        reason: outcome.reason,
        ms: Math.round(seconds * 1e6) / 1e3,
      },
      outcome.message ?? 'admission decision',
    );
    return result;
  };

  type Evaluate = (
    input: AdmissionInput,
    snapshot: GovernanceSnapshot,
    review: AdmissionRequest,
  ) => { verdict: Verdict; outcome: Outcome };

  /** One admission endpoint: no snapshot yet fails closed; otherwise `evaluate` decides. */
  const endpoint = (path: '/validate' | '/mutate', evaluate: Evaluate): void => {
    app.post(path, async (request, reply) => {
      await awaitScaleTarget(request.body, governance);
      const result = answer(
        request.body,
        (review) => {
          const snapshot = governance.snapshot();
          if (!snapshot) {
            return {
              verdict: NOT_SYNCED,
              outcome: { request: review, decision: 'deny', reason: 'GovernanceNotSynced' },
            };
          }
          const labels = governance.namespaceLabels(review.namespace ?? '');
          const terminating =
            review.namespace !== undefined &&
            governance.namespaceTerminating?.(review.namespace) === true;
          const input = withScaleTarget(
            toAdmissionInput(review, labels, terminating),
            review,
            governance,
          );
          return evaluate(input, snapshot, review);
        },
        path === '/validate' ? 'validate' : 'mutate',
      );
      return reply.code(result.status).send(result.status === 200 ? result.review : result.error);
    });
  };

  endpoint('/validate', (input, snapshot, review) => {
    const now = clock();
    const decision = decide(input, snapshot, now);
    const verdict: Verdict = {
      allowed: decision.allowed,
      code: 403,
      reason: decision.reason,
      // The code leads the sentence so it survives where only the message is shown
      // (a ReplicaSet's FailedCreate event, a Job's condition).
      message: `${decision.reason}: ${decision.message}`,
      warnings: decision.warnings,
      auditAnnotations: decision.auditAnnotations,
    };
    const stale = governance.staleSince?.();
    const given =
      stale === undefined ? undefined : staleVerdict(verdict, stale, now.getTime(), staleness);
    if (given !== undefined) {
      metrics.staleDecisions.inc({
        action: given.allowed === verdict.allowed ? 'warned' : 'denied',
      });
    }
    const answer = given ?? verdict;
    return {
      verdict: answer,
      outcome: outcomeOf(
        review,
        answer.allowed,
        answer.warnings ?? [],
        answer.reason ?? decision.reason,
        given?.message ?? decision.message,
      ),
    };
  });

  endpoint('/mutate', (input, snapshot, review) => {
    const patch = stampPatch(input, snapshot, clock());
    return {
      verdict: { allowed: true, patch },
      outcome: {
        request: review,
        decision: 'allow',
        reason: patch.length > 0 ? 'Stamped' : 'NothingToStamp',
      },
    };
  });

  app.get('/healthz', (_request, reply) => reply.send({ status: 'ok' }));
  app.get('/readyz', (_request, reply) =>
    governance.synced()
      ? reply.send({ status: 'ready' })
      : reply.code(503).send({ status: 'not ready', pending: governance.pending() }),
  );
  app.get('/metrics', async (_request, reply) => {
    const more = await options.moreMetrics?.();
    const text = await registry.metrics();
    return reply
      .type(registry.contentType)
      .send(more === undefined ? text : Buffer.concat([Buffer.from(text), more]));
  });

  return app;
}

function objectName(object: unknown): string | undefined {
  if (typeof object !== 'object' || object === null) return undefined;
  const metadata = (object as { metadata?: { name?: unknown; generateName?: unknown } }).metadata;
  const name = metadata?.name ?? metadata?.generateName;
  return typeof name === 'string' ? name : undefined;
}
