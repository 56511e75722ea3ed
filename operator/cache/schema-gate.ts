import type { KindDefinition } from '../../api/index.js';
import { sameJson } from '../../engine/json.js';
import type { KubeObject } from './informer.js';
import { withoutStatus } from './status-only.js';

/** An object of an oos kind the cluster holds but oos's schema refuses. */
export interface InvalidObject {
  readonly kind: string;
  readonly namespace: string | undefined;
  readonly name: string;
  readonly uid: string | undefined;
  readonly resourceVersion: string | undefined;
  /**
   * `status`: only its status is wrong: the spec is used, with the last valid status of the same
   * object if there was one (the status is the controller's, which rewrites it). `spec`: the
   * object itself is wrong: its last valid version is kept if there was one.
   */
  readonly part: 'status' | 'spec';
  /** Whether the snapshot still holds a version of it (the last valid one, or its spec). */
  readonly kept: boolean;
  /** The first schema issues, `path: message`. */
  readonly issues: readonly string[];
}

interface Raw extends KubeObject {
  readonly metadata?: KubeObject['metadata'] & { readonly uid?: string };
  readonly status?: unknown;
}

export interface Outcome {
  /** What enters the snapshot for this raw object, if anything. */
  readonly parsed: unknown;
  readonly invalid: InvalidObject | undefined;
}

interface LastValid {
  readonly uid: string | undefined;
  readonly parsed: { readonly status?: unknown; readonly spec?: unknown };
}

const MAX_ISSUES = 3;

/**
 * `parsed`, holding the previous version's `spec` object when the two versions (same uid) differ
 * in nothing but their status.
 */
function sameSpec(
  before: LastValid | undefined,
  uid: string | undefined,
  parsed: LastValid['parsed'],
): LastValid['parsed'] {
  if (before === undefined || before.uid !== uid || before.parsed.spec === undefined) return parsed;
  if (!sameJson(withoutStatus(before.parsed), withoutStatus(parsed))) return parsed;
  return { ...parsed, spec: before.parsed.spec };
}

function keyOf(raw: Raw): string {
  return `${raw.metadata?.namespace ?? ''}/${raw.metadata?.name ?? ''}`;
}

/**
 * The schema check between the informer's store and the snapshot, for one kind. An object that
 * stops matching its schema never silently disappears: a bad status alone never discards a good
 * spec, and a bad object is replaced by its last valid version (same uid); either way it is
 * reported, and an object that was never valid is reported too.
 */
export class SchemaGate {
  private readonly outcomes = new WeakMap<object, Outcome>();
  private readonly lastValid = new Map<string, LastValid>();
  private invalidNow: InvalidObject[] = [];

  constructor(private readonly definition: KindDefinition) {}

  /** The objects that enter the snapshot, in the store's order. */
  admit(raws: readonly Raw[]): unknown[] {
    const out: unknown[] = [];
    const invalid: InvalidObject[] = [];
    const present = new Set<string>();
    for (const raw of raws) {
      const key = keyOf(raw);
      present.add(key);
      const outcome = this.outcome(raw);
      if (outcome.parsed !== undefined) out.push(outcome.parsed);
      if (outcome.invalid !== undefined) invalid.push(outcome.invalid);
    }
    for (const key of this.lastValid.keys()) if (!present.has(key)) this.lastValid.delete(key);
    this.invalidNow = invalid;
    return out;
  }

  /**
   * What one raw object becomes (judged once per version of it). While nothing but its status
   * changes, the parsed object keeps the very same `spec` object, so a consumer can tell by
   * identity that everything it reads besides the status is unchanged (the controller's plan
   * reuses its work by that identity, engine/plan/memo.ts).
   */
  outcome(raw: Raw): Outcome {
    let outcome = this.outcomes.get(raw);
    if (outcome === undefined) {
      outcome = this.judge(raw, keyOf(raw));
      this.outcomes.set(raw, outcome);
    }
    return outcome;
  }

  /** The objects refused at the last {@link admit}. */
  invalid(): readonly InvalidObject[] {
    return this.invalidNow;
  }

  private judge(raw: Raw, key: string): Outcome {
    const { schema } = this.definition;
    const uid = raw.metadata?.uid;
    const whole = schema.safeParse(raw);
    if (whole.success) {
      const parsed = sameSpec(this.lastValid.get(key), uid, whole.data as LastValid['parsed']);
      this.lastValid.set(key, { uid, parsed });
      return { parsed, invalid: undefined };
    }
    const issues = whole.error.issues
      .slice(0, MAX_ISSUES)
      .map((i) => `${i.path.join('.')}: ${i.message}`);
    const before = this.lastValid.get(key);
    const previous = before?.uid === uid ? before?.parsed : undefined;
    const report = (part: InvalidObject['part'], kept: boolean): InvalidObject => ({
      kind: this.definition.kind,
      namespace: raw.metadata?.namespace,
      name: raw.metadata?.name ?? '',
      uid,
      resourceVersion: raw.metadata?.resourceVersion,
      part,
      kept,
      issues,
    });
    if (raw.status !== undefined && whole.error.issues.every((i) => i.path[0] === 'status')) {
      const candidate: Record<string, unknown> = { ...raw };
      if (previous?.status === undefined) delete candidate.status;
      else candidate.status = previous.status;
      const spec = schema.safeParse(candidate);
      if (spec.success) {
        this.lastValid.set(key, { uid, parsed: spec.data as LastValid['parsed'] });
        return { parsed: spec.data, invalid: report('status', true) };
      }
    }
    if (previous === undefined) return { parsed: undefined, invalid: report('spec', false) };
    // The last valid spec, with the current status and version when the status is valid: the
    // controller compares what it wrote with what is stored, and must not rewrite it forever.
    const current = schema.safeParse({
      ...previous,
      metadata: {
        ...(previous as { metadata?: object }).metadata,
        resourceVersion: raw.metadata?.resourceVersion,
      },
      status: raw.status,
    });
    return { parsed: current.success ? current.data : previous, invalid: report('spec', true) };
  }
}
