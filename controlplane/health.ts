import { request } from 'node:https';

export interface TlsClient {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

/** GET an https URL; resolves with the status code, or undefined when nothing answers. */
export function httpsStatus(
  url: string,
  tls: TlsClient,
  timeoutMs = 2_000,
): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'GET',
        timeout: timeoutMs,
        ...tls,
        // The controller manager serves a self-signed certificate; only liveness is asked of it.
        rejectUnauthorized: tls.ca !== undefined,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode);
      },
    );
    req.on('timeout', () => {
      req.destroy();
    });
    req.on('error', () => {
      resolve(undefined);
    });
    req.end();
  });
}
