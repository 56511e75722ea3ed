/**
 * `--capture` of `bench:controller`: oos's side of each call, as the kernel sees it. `tcpdump`
 * watches the operator's HTTPS port on loopback; on each connection a request's last segment in
 * and the answer's first segment out are timed. That time holds everything in oos's process (the
 * wait for its event loop and for a CPU, TLS, the decision) and nothing of the apiserver's (its
 * own waits before it writes a request and after the answer arrived), which the apiserver's
 * histogram holds too. The payload stays encrypted and unread: only TCP headers are kept.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { quantile } from '../reliability/summary.js';

/** One request and its answer on a connection: when the request was whole, and oos's time. */
export interface Exchange {
  /** Seconds since the epoch (tcpdump's `-tt`) of the request's last segment. */
  readonly at: number;
  readonly ms: number;
}

/** A line of `tcpdump -n -tt -S` for IPv4 TCP: time, source port, destination port, flags, length. */
const LINE =
  /^(\d+\.\d+) IP [\d.]+\.(\d+) > [\d.]+\.(\d+): Flags \[([^\]]*)\](?:.*, length (\d+))?/;

/**
 * Reads `tcpdump -n -tt -S` lines of one server port into exchanges. A request is the client's
 * data segments up to the server's next data; the exchange is timed from the last of them to the
 * first segment of the answer (an answer on loopback is one segment; what follows it is the
 * rest of it or a TLS alert at close, and starts no exchange). A new connection's first data is
 * its TLS handshake, timed like a request. Segments without data (ACKs, SYN, FIN) time nothing.
 */
export class ExchangeReader {
  readonly exchanges: Exchange[] = [];
  readonly #port: string;
  /** Per client port, the last segment of a request not answered yet (epoch seconds). */
  readonly #unanswered = new Map<string, number>();

  constructor(serverPort: number) {
    this.#port = String(serverPort);
  }

  line(text: string): void {
    const match = LINE.exec(text);
    if (match === null) return;
    const [, time, from, to, flags, length] = match;
    const fromServer = from === this.#port;
    if (!fromServer && to !== this.#port) return;
    const client = fromServer ? (to ?? '') : (from ?? '');
    if (flags?.includes('S') === true && !fromServer) this.#unanswered.delete(client);
    if (Number(length ?? 0) === 0) return;
    const at = Number(time);
    if (!fromServer) {
      this.#unanswered.set(client, at);
      return;
    }
    const requestEnd = this.#unanswered.get(client);
    if (requestEnd === undefined) return;
    this.exchanges.push({ at: requestEnd, ms: (at - requestEnd) * 1000 });
    this.#unanswered.delete(client);
  }
}

/** Exchanges whose request ended within `[from, to]` (epoch seconds), as the tables show them. */
export interface ExchangeSummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  /** The share answered within 25 ms, the apiserver's bucket. */
  readonly within25: number;
  /** The exchanges over 25 ms, in order: when (seconds after `from`) and how long. */
  readonly slow: readonly Exchange[];
}

export function summarizeExchanges(
  exchanges: readonly Exchange[],
  from: number,
  to: number,
): ExchangeSummary {
  const inside = exchanges.filter((e) => e.at >= from && e.at <= to);
  const times = inside.map((e) => e.ms).sort((a, b) => a - b);
  return {
    count: times.length,
    p50: quantile(times, 0.5),
    p99: quantile(times, 0.99),
    p999: quantile(times, 0.999),
    max: times.at(-1) ?? NaN,
    within25: times.length === 0 ? NaN : times.filter((t) => t <= 25).length / times.length,
    slow: inside.filter((e) => e.ms > 25).map((e) => ({ at: e.at - from, ms: e.ms })),
  };
}

/** A running `tcpdump` and what it has read so far. */
export interface Capture {
  readonly reader: ExchangeReader;
  stop(): Promise<void>;
}

/** Starts `tcpdump` on loopback for `port`; throws with what to do when it is not installed. */
export async function startCapture(port: number): Promise<Capture> {
  if (spawnSync('tcpdump', ['--version']).error !== undefined) {
    throw new Error(
      '--capture needs tcpdump (as root: apt-get update && apt-get install -y tcpdump)',
    );
  }
  const reader = new ExchangeReader(port);
  const child: ChildProcess = spawn(
    'tcpdump',
    ['-i', 'lo', '-n', '-tt', '-S', '-l', '-s', '96', 'tcp', 'port', String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const stdout = child.stdout;
  if (stdout === null) throw new Error('tcpdump: no output');
  createInterface({ input: stdout }).on('line', (line) => {
    reader.line(line);
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  // tcpdump says "listening on lo" once its filter is in place.
  for (let waited = 0; !errors.includes('listening on'); waited += 50) {
    if (child.exitCode !== null || waited > 10_000) {
      child.kill('SIGKILL');
      throw new Error(`tcpdump did not start: ${errors.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    reader,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}
