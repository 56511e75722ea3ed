import { readFileSync } from 'node:fs';
import type { OutgoingHttpHeaders } from 'node:http';
import type { RequestOptions } from 'node:https';

/** How requests reach the apiserver: its URL, and what each request carries to be trusted. */
export interface ApiAccess {
  /** The apiserver's URL, without a trailing slash. */
  readonly server: string;
  /** Sets one request's TLS material and credentials (headers are an object, never an array). */
  apply(options: RequestOptions): Promise<void>;
}

/** A value written inline (a kubeconfig's base64 `…-data`) or kept in a file. */
export type Source = { readonly data: Buffer } | { readonly file: string };

/** What a kubeconfig's cluster and user (or a Pod's ServiceAccount) give every request. */
export interface Credentials {
  readonly server: string;
  readonly ca?: Source;
  readonly cert?: Source;
  readonly key?: Source;
  /** A bearer token; a file's text is trimmed, as client-go does. */
  readonly token?: Source;
  readonly basic?: { readonly username: string; readonly password: string };
  /** `insecure-skip-tls-verify`: the server's certificate is not checked. */
  readonly insecure?: boolean;
  /** `tls-server-name`: the name the server's certificate is checked against. */
  readonly serverName?: string;
  /** The kubeconfig user's `as` and `as-groups`. */
  readonly impersonate?: { readonly user: string; readonly groups: readonly string[] };
}

/**
 * How long a file's content is used before it is read again. Certificates and tokens in files
 * are rotated (a Pod's projected ServiceAccount token is replaced well before it expires);
 * client-go reads a token file again each minute too. Reading per request would cost a
 * `readFileSync` of the key on every call.
 */
export const FILE_REREAD_MS = 60_000;

interface Read {
  readonly content: Buffer;
  readonly at: number;
}

/**
 * The content of credential files, read again once older than {@link FILE_REREAD_MS}. A file that
 * cannot be read the first time fails the request; one that cannot be read again keeps its last
 * content (the apiserver refuses it if it has expired) and is tried again on the next request.
 */
export class CredentialFiles {
  private readonly reads = new Map<string, Read>();

  constructor(private readonly now: () => number = Date.now) {}

  read(source: Source): Buffer {
    if ('data' in source) return source.data;
    const at = this.now();
    const last = this.reads.get(source.file);
    if (last !== undefined && at - last.at < FILE_REREAD_MS) return last.content;
    let content: Buffer;
    try {
      content = readFileSync(source.file);
    } catch (error) {
      if (last === undefined) {
        throw new Error(
          `cannot read ${source.file}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      content = last.content;
    }
    this.reads.set(source.file, { content, at });
    return content;
  }
}

/** An {@link ApiAccess} over plain credentials: TLS material, a bearer token or basic auth. */
export function credentialAccess(
  credentials: Credentials,
  files = new CredentialFiles(),
): ApiAccess {
  const set = (options: RequestOptions): void => {
    const { ca, cert, key, token, basic, impersonate } = credentials;
    if (ca !== undefined) options.ca = files.read(ca);
    if (cert !== undefined) options.cert = files.read(cert);
    if (key !== undefined) options.key = files.read(key);
    if (credentials.insecure === true) options.rejectUnauthorized = false;
    if (credentials.serverName !== undefined) options.servername = credentials.serverName;
    const headers = (options.headers ?? {}) as OutgoingHttpHeaders;
    if (token !== undefined) {
      headers.authorization = `Bearer ${files.read(token).toString('utf8').trim()}`;
    } else if (basic !== undefined) {
      const pair = `${basic.username}:${basic.password}`;
      headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    }
    if (impersonate !== undefined) {
      headers['impersonate-user'] = impersonate.user;
      if (impersonate.groups.length > 0) headers['impersonate-group'] = [...impersonate.groups];
    }
    options.headers = headers;
  };
  return {
    server: credentials.server.replace(/\/$/, ''),
    // A file that cannot be read rejects the promise, as every other failure of a request.
    apply: (options) =>
      new Promise((done) => {
        set(options);
        done();
      }),
  };
}
