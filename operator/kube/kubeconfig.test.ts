import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CredentialFiles, FILE_REREAD_MS, credentialAccess } from './access.js';
import { KubeconfigError, loadKubeconfig, type KubeconfigPlaces } from './kubeconfig.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'oos-kubeconfig-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const b64 = (text: string): string => Buffer.from(text).toString('base64');

/** Writes a kubeconfig with one context `name` of `cluster` and `user` to `file` in `dir`. */
function write(
  file: string,
  cluster: Record<string, unknown>,
  user: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): string {
  const path = join(dir, file);
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster }],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u', namespace: 'team-a' } }],
      'current-context': 'ctx',
      ...extra,
    }),
  );
  return path;
}

/** What one request would carry: TLS material as text and the headers by lower-case name. */
async function applied(apply: (options: RequestOptions) => Promise<void>) {
  const options: RequestOptions = { headers: {} };
  await apply(options);
  const headers = Object.fromEntries(
    Object.entries(options.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const textOf = (value: unknown): string | undefined =>
    value === undefined
      ? undefined
      : Buffer.isBuffer(value) || typeof value === 'string'
        ? value.toString()
        : JSON.stringify(value);
  return {
    ca: textOf(options.ca),
    cert: textOf(options.cert),
    key: textOf(options.key),
    rejectUnauthorized: options.rejectUnauthorized,
    servername: options.servername,
    // client-node gives basic auth as `auth`, which Node sends as this header.
    authorization:
      headers.authorization ??
      (options.auth === undefined ? undefined : `Basic ${b64(options.auth ?? '')}`),
    impersonateUser: headers['impersonate-user'],
  };
}

const places = (env: NodeJS.ProcessEnv = {}): KubeconfigPlaces => ({
  env,
  home: join(dir, 'home'),
  serviceAccountDir: join(dir, 'sa'),
});

describe('loadKubeconfig: the same credentials as client-node reads', () => {
  const server = 'https://127.0.0.1:6443';
  const cases: Record<string, () => [Record<string, unknown>, Record<string, unknown>]> = {
    'inline client certificate': () => [
      { server, 'certificate-authority-data': b64('CA') },
      { 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') },
    ],
    'client certificate files, relative to the kubeconfig': () => {
      mkdirSync(join(dir, 'pki'));
      writeFileSync(join(dir, 'pki', 'ca.crt'), 'CA FILE');
      writeFileSync(join(dir, 'pki', 'admin.crt'), 'CERT FILE');
      writeFileSync(join(dir, 'pki', 'admin.key'), 'KEY FILE');
      return [
        { server, 'certificate-authority': 'pki/ca.crt' },
        { 'client-certificate': 'pki/admin.crt', 'client-key': join(dir, 'pki', 'admin.key') },
      ];
    },
    'a bearer token, impersonating': () => [
      { server, 'insecure-skip-tls-verify': true, 'tls-server-name': 'kubernetes' },
      { token: 'abc.def', as: 'alice@example.com' },
    ],
    'basic auth': () => [{ server }, { username: 'admin', password: 'secret' }],
    'no credentials at all': () => [{ server: `${server}/` }, {}],
  };
  for (const [name, make] of Object.entries(cases)) {
    it(name, async () => {
      const [cluster, user] = make();
      const file = write('config', cluster, user);
      const reference = new KubeConfig();
      reference.loadFromFile(file);
      const ours = loadKubeconfig({ file });
      expect(ours.access.server).toBe(server);
      expect(ours.namespace).toBe('team-a');
      expect(await applied((o) => ours.access.apply(o))).toEqual(
        await applied((o) => reference.applyToHTTPSOptions(o)),
      );
    });
  }
});

describe('loadKubeconfig: which kubeconfig and which context', () => {
  it('merges the files of $KUBECONFIG as kubectl: the first to name an entry wins', async () => {
    const first = write('a', { server: 'https://first:6443' }, { token: 'first' });
    const second = join(dir, 'b');
    writeFileSync(
      second,
      stringify({
        clusters: [
          { name: 'c', cluster: { server: 'https://second:6443' } },
          { name: 'other', cluster: { server: 'https://other:6443' } },
        ],
        users: [{ name: 'v', user: { token: 'second' } }],
        contexts: [{ name: 'elsewhere', context: { cluster: 'other', user: 'v' } }],
        'current-context': 'elsewhere',
      }),
    );
    const env = { KUBECONFIG: [join(dir, 'missing'), first, second].join(delimiter) };
    const current = loadKubeconfig({}, places(env));
    expect(current.access.server).toBe('https://first:6443');
    expect((await applied((o) => current.access.apply(o))).authorization).toBe('Bearer first');
    const chosen = loadKubeconfig({ context: 'elsewhere' }, places(env));
    expect(chosen.access.server).toBe('https://other:6443');
    expect(chosen.namespace).toBeUndefined();
    expect((await applied((o) => chosen.access.apply(o))).authorization).toBe('Bearer second');
  });

  it('reads ~/.kube/config when $KUBECONFIG is unset', () => {
    mkdirSync(join(dir, 'home', '.kube'), { recursive: true });
    const file = write('config', { server: 'https://home:6443' }, {});
    writeFileSync(join(dir, 'home', '.kube', 'config'), readFileSync(file));
    expect(loadKubeconfig({}, places()).access.server).toBe('https://home:6443');
  });

  it('reads no ~/.kube/config for a user without a home (not ./.kube/config either)', () => {
    mkdirSync(join(dir, '.kube'));
    writeFileSync(
      join(dir, '.kube', 'config'),
      readFileSync(write('c', { server: 'https://x' }, {})),
    );
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(() => loadKubeconfig({}, { ...places(), home: '' })).toThrow(/no kubeconfig/);
    } finally {
      process.chdir(cwd);
    }
  });

  it('names what is missing: a context, a cluster, a server, any kubeconfig', () => {
    const file = write('config', { server: 'https://x:6443' }, {});
    expect(() => loadKubeconfig({ file, context: 'nope' })).toThrow(
      /has no context "nope" \(contexts: ctx\)/,
    );
    const serverless = write('serverless', {}, {});
    expect(() => loadKubeconfig({ file: serverless })).toThrow(/names no cluster with a server/);
    const none = write('none', { server: 'https://x:6443' }, {}, { 'current-context': '' });
    expect(() => loadKubeconfig({ file: none })).toThrow(/has no current cluster/);
    expect(() => loadKubeconfig({ file: join(dir, 'absent') })).toThrow(KubeconfigError);
    expect(() => loadKubeconfig({}, places())).toThrow(/no kubeconfig: pass --kubeconfig/);
    expect(() => loadKubeconfig({}, places({ KUBECONFIG: join(dir, 'gone') }))).toThrow(
      /no file of KUBECONFIG exists/,
    );
  });

  it('refuses what it would silently ignore: a proxy-url, a malformed file', () => {
    const proxied = write('p', { server: 'https://x:6443', 'proxy-url': 'http://proxy:3128' }, {});
    expect(() => loadKubeconfig({ file: proxied })).toThrow(/proxy-url/);
    const broken = join(dir, 'broken');
    writeFileSync(broken, 'clusters: {not: [a, list');
    expect(() => loadKubeconfig({ file: broken })).toThrow(/cannot read the kubeconfig/);
    writeFileSync(broken, 'clusters: 3\n');
    expect(() => loadKubeconfig({ file: broken })).toThrow(/clusters is not a list/);
  });

  /** A user whose exec plugin (Node.js itself) prints an ExecCredential with `token`. */
  const execUser = (token: string) => {
    const credential = {
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token },
    };
    return {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: process.execPath,
        args: ['-e', `console.log(${JSON.stringify(JSON.stringify(credential))})`],
        interactiveMode: 'Never',
      },
    };
  };

  it('hands exec plugins to client-node, which runs them on the first request', async () => {
    const file = write('exec', { server: 'https://cloud:443' }, execUser('from-exec'));
    const loaded = loadKubeconfig({ file });
    expect(loaded.access.server).toBe('https://cloud:443');
    expect(loaded.namespace).toBe('team-a');
    expect((await applied((o) => loaded.access.apply(o))).authorization).toBe('Bearer from-exec');
  });

  it('gives client-node the context it chose from $KUBECONFIG, not a merge of its own', async () => {
    // client-node alone would refuse these files (it throws on a name given twice) and would read
    // the process's own $KUBECONFIG rather than the one the operator was given.
    const first = write('a', { server: 'https://cloud:443' }, execUser('merged-exec'));
    const second = write('b', { server: 'https://elsewhere:443' }, { token: 'not-this' });
    const loaded = loadKubeconfig({}, places({ KUBECONFIG: [first, second].join(delimiter) }));
    expect(loaded.access.server).toBe('https://cloud:443');
    const request = await applied((o) => loaded.access.apply(o));
    expect(request.authorization).toBe('Bearer merged-exec');
  });
});

describe('loadKubeconfig in a Pod', () => {
  function serviceAccount(token: string): void {
    mkdirSync(join(dir, 'sa'), { recursive: true });
    writeFileSync(join(dir, 'sa', 'token'), `${token}\n`);
    writeFileSync(join(dir, 'sa', 'ca.crt'), 'CLUSTER CA');
    writeFileSync(join(dir, 'sa', 'namespace'), 'oos-system');
  }

  it('uses the ServiceAccount over HTTPS, IPv6 hosts in brackets', async () => {
    serviceAccount('token-1');
    const env = { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' };
    const loaded = loadKubeconfig({}, places(env));
    expect(loaded.access.server).toBe('https://[fd00::1]:443');
    expect(loaded.namespace).toBe('oos-system');
    const request = await applied((o) => loaded.access.apply(o));
    expect(request.authorization).toBe('Bearer token-1');
    expect(request.ca).toBe('CLUSTER CA');
  });

  it('needs the service address, and takes no context', () => {
    serviceAccount('token-1');
    expect(() => loadKubeconfig({}, places())).toThrow(/KUBERNETES_SERVICE_HOST/);
    expect(() => loadKubeconfig({ context: 'x' }, places())).toThrow(/context "x"/);
  });
});

describe('CredentialFiles', () => {
  it('reads a rotated token again after a minute, and keeps the last one if it vanishes', async () => {
    const token = join(dir, 'token');
    writeFileSync(token, 'old');
    let now = 0;
    const access = credentialAccess(
      { server: 'https://x', token: { file: token } },
      new CredentialFiles(() => now),
    );
    const bearer = async (): Promise<unknown> =>
      (await applied((o) => access.apply(o))).authorization;
    expect(await bearer()).toBe('Bearer old');
    writeFileSync(token, 'new');
    now = FILE_REREAD_MS - 1;
    expect(await bearer()).toBe('Bearer old');
    now = FILE_REREAD_MS;
    expect(await bearer()).toBe('Bearer new');
    rmSync(token);
    now = 3 * FILE_REREAD_MS;
    expect(await bearer()).toBe('Bearer new');
  });

  it('fails the request when a file was never readable', async () => {
    const access = credentialAccess({ server: 'https://x', ca: { file: join(dir, 'no-ca') } });
    await expect(access.apply({})).rejects.toThrow(/cannot read .*no-ca/);
  });
});
