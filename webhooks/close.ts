import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdmissionApp } from './app.js';

/** How often the drain looks whether every connection has closed. */
const DRAIN_POLL_MS = 50;
/** The drain ends once no request came for this long: the apiserver sends this replica nothing. */
const DRAIN_QUIET_MS = 500;

function openConnections(app: AdmissionApp): Promise<number> {
  return new Promise((resolve) => {
    app.server.getConnections((error, count) => {
      resolve(error ? 0 : count);
    });
  });
}

/**
 * Ends the admission server without failing a call the apiserver is sending.
 *
 * 1. **Drain** (up to `drainMs`): every answer says `Connection: close`, so each kept-alive
 *    connection the apiserver still sends a review on is closed by the server after its answer,
 *    which the apiserver sees before it could reuse it. The apiserver keeps connections to a
 *    replica after it left the Service's endpoints; closing one that is idle, at the moment the
 *    apiserver writes a review on it, fails that call ("use of closed network connection"),
 *    and admission fails closed. The drain ends early once no connection is left, or once no
 *    request came for half a second (nothing is being sent to this replica any more).
 * 2. Stops accepting connections and waits for requests in flight (an admission call has at
 *    most the webhook's 3 s timeout), then ends whatever connections are left after `graceMs`:
 *    idle ones the apiserver sent nothing on during the drain.
 */
export async function closeGracefully(
  app: AdmissionApp,
  { drainMs = 3_000, graceMs = 5_000 }: { drainMs?: number; graceMs?: number } = {},
): Promise<void> {
  let lastRequest = Date.now();
  const closeAfterAnswer = (_request: IncomingMessage, response: ServerResponse): void => {
    lastRequest = Date.now();
    if (!response.headersSent) response.setHeader('connection', 'close');
  };
  // Before fastify's own listener, so the header is set before any answer is written.
  app.server.prependListener('request', closeAfterAnswer);
  const until = Date.now() + drainMs;
  while (
    Date.now() < until &&
    Date.now() - lastRequest < DRAIN_QUIET_MS &&
    (await openConnections(app)) > 0
  ) {
    await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
  }
  const timer = setTimeout(() => {
    app.server.closeAllConnections();
  }, graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
    app.server.off('request', closeAfterAnswer);
  }
}
