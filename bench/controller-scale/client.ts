/** A small keep-alive HTTPS client for the bench: many concurrent requests, impersonation headers. */
import { Agent, request, type RequestOptions } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${String(status)}: ${body.slice(0, 300)}`);
  }
}

export class BenchClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly server: URL;
  private base: RequestOptions | undefined;

  constructor(private readonly config: KubeConfig) {
    const cluster = config.getCurrentCluster();
    if (cluster === null) throw new Error('the kubeconfig has no current cluster');
    this.server = new URL(cluster.server);
  }

  static fromFile(path: string): BenchClient {
    const config = new KubeConfig();
    config.loadFromFile(path);
    return new BenchClient(config);
  }

  private async options(): Promise<RequestOptions> {
    if (this.base === undefined) {
      const options: RequestOptions = {};
      await this.config.applyToHTTPSOptions(options);
      this.base = options;
    }
    return this.base;
  }

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string | string[]> = {},
  ): Promise<T> {
    const base = await this.options();
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = request(
        {
          ...base,
          agent: this.agent,
          method,
          hostname: this.server.hostname,
          port: this.server.port,
          path,
          headers: {
            ...(base.headers as Record<string, string> | undefined),
            accept: 'application/json',
            ...(payload === undefined
              ? {}
              : {
                  'content-type':
                    method === 'PATCH' ? 'application/merge-patch+json' : 'application/json',
                }),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) reject(new ApiError(status, text));
            else resolve((text.startsWith('{') ? JSON.parse(text) : text) as T);
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `work` over `items` with at most `concurrency` at once. */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
