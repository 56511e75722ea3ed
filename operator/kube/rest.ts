import { Agent, request as httpsRequest, type RequestOptions } from 'node:https';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { ApiAccess } from './access.js';
import type { ErrorCode } from '../../api/error-codes.js';

/** The `details` of a Kubernetes `Status`: which object, and the causes. */
export interface StatusDetails {
  readonly kind?: string;
  readonly name?: string;
  readonly causes?: readonly {
    readonly reason?: string;
    readonly message?: string;
    readonly field?: string;
  }[];
}

/** How long a new connection to the apiserver may take to be established (TCP) before it is abandoned. */
export const CONNECT_TIMEOUT_MS = 10_000;

/** A connection to the apiserver was not established in time. */
export class ConnectTimeoutError extends Error {
  constructor(server: string, ms: number) {
    super(`no connection to ${server} within ${String(ms / 1000)} s`);
    this.name = 'ConnectTimeoutError';
  }
}

/**
 * A non-2xx answer of the apiserver, with its Status reason, message and details. Classify it
 * with the helpers of `kube/errors.ts`, keyed on the reason, never on the message text.
 */
export class KubeApiError extends Error {
  readonly code = 'OOS_ERR_KUBE_API' satisfies ErrorCode;
  readonly status: number;
  readonly reason: string | undefined;
  readonly details: StatusDetails | undefined;

  constructor(method: string, path: string, status: number, body: string) {
    let reason: string | undefined;
    let details: StatusDetails | undefined;
    let message = body.slice(0, 500);
    try {
      const parsed = JSON.parse(body) as {
        reason?: string;
        message?: string;
        details?: StatusDetails;
      };
      reason = parsed.reason;
      details = parsed.details;
      message = parsed.message ?? message;
    } catch {
      // not a Status object; keep the raw text
    }
    super(`${method} ${path}: ${status} ${reason ?? ''} ${message}`.replace(/\s+/g, ' ').trim());
    this.name = 'KubeApiError';
    this.status = status;
    this.reason = reason;
    this.details = details;
  }
}

/** A watch that sent nothing, not even a bookmark, for longer than allowed: rewatch. */
export class WatchQuietError extends Error {
  constructor(quietMs: number) {
    super(`the watch went quiet for ${quietMs} ms`);
    this.name = 'WatchQuietError';
  }
}

export interface RequestBody {
  readonly body: unknown;
  /** `application/json` by default; patches name their own type. */
  readonly contentType?: string;
}

/** TLS material (a PEM string, a Buffer, a list of them, a flag) as comparable text. */
function tlsText(value: unknown): string {
  if (value === undefined) return '';
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  if (Array.isArray(value)) return value.map(tlsText).join('\u0001');
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * A small REST client over the kubeconfig's credentials (client certificates, tokens, in-cluster
 * ServiceAccount; `kube/kubeconfig.ts`). It is the operator's only way to the apiserver, so every
 * call site is visible.
 */
export class KubeRest {
  readonly server: string;
  private readonly access: ApiAccess;
  /** The one keep-alive agent, and the TLS identity it was made for. */
  private agent: Agent | undefined;
  private agentIdentity = '';

  constructor(access: ApiAccess) {
    this.access = access;
    this.server = access.server;
  }

  private async options(
    method: string,
    path: string,
    headers: Record<string, string>,
  ): Promise<RequestOptions> {
    const url = new URL(this.server + path);
    const options: RequestOptions = {
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      headers: { accept: 'application/json', ...headers },
    };
    await this.access.apply(options);
    if (options.protocol === 'https:') options.agent = this.keepAliveAgent(options);
    return options;
  }

  /**
   * A new Agent for every call would open a TLS connection and parse the private key again on
   * every request (most of the operator's CPU when it writes statuses). One keep-alive agent
   * serves every request instead; a new one is made when the TLS identity changes (a rotated
   * client certificate or CA).
   */
  private keepAliveAgent(options: RequestOptions): Agent {
    const material = [
      options.ca,
      options.cert,
      options.key,
      options.pfx,
      options.passphrase,
      options.servername,
      options.rejectUnauthorized,
    ];
    const identity = material.map(tlsText).join('\u0000');
    if (this.agent === undefined || identity !== this.agentIdentity) {
      this.agent?.destroy();
      this.agent = new Agent({
        keepAlive: true,
        maxFreeSockets: 32,
        ca: options.ca,
        cert: options.cert,
        key: options.key,
        pfx: options.pfx,
        passphrase: options.passphrase,
        servername: options.servername,
        ...(options.rejectUnauthorized === undefined
          ? {}
          : { rejectUnauthorized: options.rejectUnauthorized }),
      });
      this.agentIdentity = identity;
    }
    return this.agent;
  }

  private open(options: RequestOptions, payload?: string): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const send = options.protocol === 'http:' ? httpRequest : httpsRequest;
      const req = send(options, resolve);
      req.on('error', reject);
      // A connection attempt nobody answers (SYNs dropped by a firewall, a route gone) would
      // otherwise wait for the kernel's SYN retries, about two minutes, and stall a watch that
      // long: give up after CONNECT_TIMEOUT_MS so the caller retries on a fresh connection.
      req.on('socket', (socket) => {
        if (!socket.connecting) return;
        const timer = setTimeout(() => {
          req.destroy(new ConnectTimeoutError(this.server, CONNECT_TIMEOUT_MS));
        }, CONNECT_TIMEOUT_MS);
        socket.once('connect', () => {
          clearTimeout(timer);
        });
        socket.once('close', () => {
          clearTimeout(timer);
        });
      });
      req.end(payload);
    });
  }

  /** One request; resolves with the parsed JSON body, rejects with {@link KubeApiError}. */
  async request<T>(method: string, path: string, body?: RequestBody): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body.body);
    const options = await this.options(
      method,
      path,
      payload === undefined ? {} : { 'content-type': body?.contentType ?? 'application/json' },
    );
    const response = await this.open(options, payload);
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) throw new KubeApiError(method, path, status, text);
    return (text ? JSON.parse(text) : {}) as T;
  }

  /**
   * A watch stream: calls `onLine` with each JSON event line until the server closes the stream,
   * `signal` aborts it, or nothing arrives for `quietMs` (then it rejects so the caller rewatches).
   */
  async stream(
    path: string,
    onLine: (line: string) => void,
    { signal, quietMs, onOpen }: { signal: AbortSignal; quietMs: number; onOpen?: () => void },
  ): Promise<void> {
    const options = await this.options('GET', path, {});
    const response = await this.open({ ...options, signal }, undefined);
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      const chunks: Buffer[] = [];
      for await (const chunk of response) chunks.push(chunk as Buffer);
      throw new KubeApiError('GET', path, status, Buffer.concat(chunks).toString('utf8'));
    }
    onOpen?.();
    response.setEncoding('utf8');
    let pending = '';
    let quiet: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve, reject) => {
      const armQuietTimer = (): void => {
        clearTimeout(quiet);
        quiet = setTimeout(() => {
          response.destroy(new WatchQuietError(quietMs));
        }, quietMs);
      };
      armQuietTimer();
      response.on('data', (chunk: string) => {
        armQuietTimer();
        pending += chunk;
        let newline = pending.indexOf('\n');
        while (newline >= 0) {
          const line = pending.slice(0, newline).trim();
          pending = pending.slice(newline + 1);
          if (line) {
            try {
              onLine(line);
            } catch (error) {
              // An ERROR event or an unreadable line ends this watch; the caller restarts it.
              response.destroy(error instanceof Error ? error : new Error(String(error)));
              return;
            }
          }
          newline = pending.indexOf('\n');
        }
      });
      response.on('end', () => {
        clearTimeout(quiet);
        resolve();
      });
      response.on('error', (error) => {
        clearTimeout(quiet);
        reject(error);
      });
      response.on('close', () => {
        clearTimeout(quiet);
        resolve();
      });
    });
  }
}
