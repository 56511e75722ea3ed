import type { AdmissionApp } from './app.js';

/**
 * Stops accepting connections and waits for requests in flight (an admission call has at most
 * the webhook's 3 s timeout), then ends whatever connections are left: the apiserver keeps spare
 * keep-alive connections open that would otherwise hold `close()` for a minute or more.
 */
export async function closeGracefully(app: AdmissionApp, graceMs = 5_000): Promise<void> {
  const timer = setTimeout(() => {
    app.server.closeAllConnections();
  }, graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
}
