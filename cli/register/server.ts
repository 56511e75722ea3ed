import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  buildRegister,
  chainView,
  filterRegister,
  parseChainPath,
  type RegisterFilter,
  type RegisterInput,
} from '../../engine/register/index.js';
import { CliError } from '../errors.js';
import { renderChainPage } from './chain-page.js';
import { html } from './html.js';
import { layout } from './layout.js';
import { SERVED_LINKS } from './links.js';
import { REGISTER_TITLE, renderRegisterPage } from './page.js';

/** What the register is read from on each request: the cluster, as the user may see it. */
export type RegisterSource = () => Promise<
  RegisterInput & { readonly warnings: readonly string[] }
>;

/**
 * The page runs no script, loads nothing, and cannot be framed or posted from elsewhere; its
 * only style is inline.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

/** Whether `host` names the loopback interface: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackHost(host: string): boolean {
  return (
    host === 'localhost' ||
    host === '::1' ||
    /^127\.(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)$/.test(
      host,
    )
  );
}

/** Refuses a host that is not loopback: the register shows what the user's kubeconfig may read. */
export function requireLoopback(host: string): void {
  if (isLoopbackHost(host)) return;
  throw new CliError(
    'OOS_ERR_USAGE',
    `--host ${JSON.stringify(host)}: the register listens on loopback only (127.0.0.1, ::1 or localhost), because it shows what your kubeconfig may read to whoever reaches it; to share it, write a file with --output`,
  );
}

/**
 * Whether the request's Host header names this server on loopback. A page on another site cannot
 * read the register through DNS rebinding (its name resolving to 127.0.0.1): its Host is its own.
 */
function hostAllowed(request: IncomingMessage, port: number): boolean {
  const host = request.headers.host;
  if (host === undefined) return false;
  const match = /^(\[::1\]|[^:[\]]+)(?::(\d+))?$/.exec(host);
  if (match === null) return false;
  const name = match[1] === '[::1]' ? '::1' : (match[1] ?? '');
  return isLoopbackHost(name) && Number(match[2] ?? 80) === port;
}

/** The filter of a query string; an empty value is no filter, a repeated one counts once. */
export function parseFilter(search: URLSearchParams): RegisterFilter {
  const value = (name: string) => {
    const text = search.get(name);
    return text === null || text === '' ? undefined : text;
  };
  return { namespace: value('namespace'), role: value('role'), person: value('person') };
}

function send(response: ServerResponse, status: number, body: string, type = 'text/html'): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': `${type}; charset=utf-8`,
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

function errorPage(title: string, message: string): string {
  return layout({
    title,
    subtitle: REGISTER_TITLE,
    body: html`<p>${message}</p>
      <p><a href="/">Back to the register</a></p>`,
  }).text;
}

/** Concurrent requests share one read of the cluster. */
function singleFlight<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}

async function respond(
  request: IncomingMessage,
  response: ServerResponse,
  load: RegisterSource,
  port: number,
): Promise<void> {
  if (!hostAllowed(request, port)) {
    send(response, 421, 'oos register answers only to its loopback address.\n', 'text/plain');
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD');
    send(response, 405, 'The register is read-only.\n', 'text/plain');
    return;
  }
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname === '/healthz') {
    send(response, 200, 'ok\n', 'text/plain');
    return;
  }
  const ref = url.pathname === '/' ? undefined : parseChainPath(url.pathname);
  if (url.pathname !== '/' && ref === undefined) {
    send(response, 404, errorPage('Not found', `There is no page at ${url.pathname}.`));
    return;
  }
  let input;
  try {
    input = await load();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    send(response, 502, errorPage('The cluster could not be read', message));
    return;
  }
  const register = buildRegister(input);
  if (ref === undefined) {
    const filter = parseFilter(url.searchParams);
    const page = renderRegisterPage(filterRegister(register, filter), {
      filter,
      links: SERVED_LINKS,
      warnings: input.warnings,
    });
    send(response, 200, page);
    return;
  }
  const view = chainView(input, register, ref);
  if (view === undefined) {
    const what = `${ref.kind} ${ref.namespace}/${ref.name}`;
    send(
      response,
      404,
      errorPage(
        'Not found',
        `${what} is not in the register: no such capability, or no running AI workload of that name that you may read.`,
      ),
    );
    return;
  }
  send(response, 200, renderChainPage(view, register.at));
}

export interface RunningRegister {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** Serves the register on `host:port` (0: a free port), after refusing a non-loopback host. */
export async function serveRegister(
  host: string,
  port: number,
  source: RegisterSource,
): Promise<RunningRegister> {
  requireLoopback(host);
  const load = singleFlight(source);
  let bound = port;
  const server = createServer((request, response) => {
    respond(request, response, load, bound).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!response.headersSent) send(response, 500, errorPage('Internal error', message));
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new CliError(
          'OOS_ERR_LISTEN',
          `cannot listen on ${host}:${port}: ${error.code ?? error.message}${error.code === 'EADDRINUSE' ? ' (the port is taken: choose another, or --port 0 for a free one)' : ''}`,
        ),
      );
    });
    server.listen(port, host, resolve);
  });
  bound = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${bound}/`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
