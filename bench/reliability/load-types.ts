/** What the load generator (`load.ts`, a process of its own) is told and what it records. */

export type Verdict = 'allowed' | 'denied';

/** One kind of request the generator sends, in turn with the others. */
export interface LoadCase {
  /** Shown in the results, e.g. `anchored`. */
  readonly name: string;
  /** A dry-run create path, e.g. `/api/v1/namespaces/ns/pods?dryRun=All`. */
  readonly path: string;
  readonly body: unknown;
  readonly expect: Verdict;
  /** For a denial: the reason oos must give (`CapabilityNotFound`); anything else is a failure. */
  readonly reason?: string;
}

export interface LoadConfig {
  /** The admin kubeconfig: its server is the only address the generator talks to. */
  readonly kubeconfig: string;
  /** Requests per second, sent on schedule whatever the answers (open loop). */
  readonly rate: number;
  /** Stop after this long at the latest (also bounds the count: rate × maxSeconds). */
  readonly maxSeconds: number;
  /** Sent with every request, e.g. impersonation of the person creating the Pods. */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  /** A request unanswered after this long is recorded as a timeout. */
  readonly timeoutMs: number;
  /** At most this many kept HTTPS connections. */
  readonly connections: number;
  readonly cases: readonly LoadCase[];
  /** Where each request's record is written, one JSON object a line. */
  readonly recordsFile: string;
}

export type Outcome = 'allowed' | 'denied' | 'error';

/** One request as the generator saw it. */
export interface LoadRecord {
  readonly case: string;
  readonly expected: Verdict;
  readonly actual: Outcome;
  /** HTTP status, 0 when none came (transport error, timeout). */
  readonly status: number;
  /** Epoch ms when it was sent (its planned time: latency counts any delay in sending). */
  readonly at: number;
  readonly latencyMs: number;
  /** Why it is not what was expected: the apiserver's message or the transport error. */
  readonly error?: string;
  /** oos said it decided on stale governance (an admission warning). */
  readonly stale?: true;
}

/** The start of the admission warning oos gives on stale governance (webhooks/admission/stale.ts). */
export const STALE_WARNING = 'oos decided on governance last confirmed';

export const failed = (r: LoadRecord): boolean => r.actual !== r.expected;
