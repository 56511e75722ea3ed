/**
 * The decisions of leader election over a coordination.k8s.io/v1 Lease, as client-go's
 * leaderelection package makes them, kept pure: whether this replica may take or keep the lease.
 * Expiry is judged by the local clock from when the record was last seen to change (never by
 * comparing clocks across machines).
 */

export interface LeaseSpec {
  readonly holderIdentity?: string | undefined;
  readonly leaseDurationSeconds?: number | undefined;
  readonly acquireTime?: string | undefined;
  readonly renewTime?: string | undefined;
  readonly leaseTransitions?: number | undefined;
}

/** The record as this replica last saw it change, and when (local clock). */
export interface Observed {
  readonly spec: LeaseSpec;
  readonly at: number;
}

export interface ElectionTimings {
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
}

/**
 * The timings of a lease of `leaseDurationMs`, in client-go's proportions (15 s lease, 10 s
 * renew deadline, 2 s retry): the leader steps down after two thirds of it without a renewal,
 * before any other replica may take it; replicas try every fifth of it, at most every 2 s.
 */
export function timingsFor(leaseDurationMs: number): ElectionTimings {
  return {
    leaseDurationMs,
    renewDeadlineMs: Math.round((leaseDurationMs * 2) / 3),
    retryPeriodMs: Math.min(2_000, Math.round(leaseDurationMs / 5)),
  };
}

/**
 * A 10 s lease: a leader that dies without releasing it (SIGKILL, a lost node) is replaced 8 to
 * 12 s later (the lease, less the time since its last renewal was seen, plus a retry period);
 * client-go's 15 s took 13 to 17 s.
 */
export const DEFAULT_TIMINGS: ElectionTimings = timingsFor(10_000);

function same(a: LeaseSpec, b: LeaseSpec): boolean {
  return (
    (a.holderIdentity ?? '') === (b.holderIdentity ?? '') &&
    a.renewTime === b.renewTime &&
    a.acquireTime === b.acquireTime &&
    a.leaseDurationSeconds === b.leaseDurationSeconds
  );
}

/** The observation after reading `spec` at `now`: unchanged records keep their first sighting. */
export function observe(previous: Observed | undefined, spec: LeaseSpec, now: number): Observed {
  return previous !== undefined && same(previous.spec, spec) ? previous : { spec, at: now };
}

/**
 * Whether `identity` may write the lease now: it holds it, nobody does (released), or the
 * holder has not renewed it for its whole lease duration.
 */
export function mayAcquire(observed: Observed, identity: string, now: number): boolean {
  const holder = observed.spec.holderIdentity ?? '';
  if (holder === '' || holder === identity) return true;
  const durationMs = (observed.spec.leaseDurationSeconds ?? 0) * 1000;
  return observed.at + durationMs <= now;
}

/** The record `identity` writes to take or renew the lease at `now`. */
export function claim(
  current: LeaseSpec | undefined,
  identity: string,
  leaseDurationMs: number,
  now: string,
): LeaseSpec {
  const renewing = current?.holderIdentity === identity;
  return {
    holderIdentity: identity,
    leaseDurationSeconds: Math.ceil(leaseDurationMs / 1000),
    acquireTime: renewing ? (current.acquireTime ?? now) : now,
    renewTime: now,
    leaseTransitions:
      (current?.leaseTransitions ?? 0) + (renewing || current === undefined ? 0 : 1),
  };
}

/** The record a leader writes when it steps down: no holder, so another replica takes over at once. */
export function release(current: LeaseSpec, now: string): LeaseSpec {
  return {
    holderIdentity: '',
    leaseDurationSeconds: 1,
    acquireTime: now,
    renewTime: now,
    leaseTransitions: current.leaseTransitions ?? 0,
  };
}

/** A leader that has not renewed within the renew deadline must stop leading. */
export function renewDeadlinePassed(
  lastRenew: number,
  now: number,
  timings: ElectionTimings,
): boolean {
  return now - lastRenew >= timings.renewDeadlineMs;
}
