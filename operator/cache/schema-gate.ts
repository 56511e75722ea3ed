import type { KindDefinition } from '../../api/index.js';
import { sameJson, shareEqual } from '../../engine/json.js';
import { keyPositions, replacedAt } from '../../engine/list-delta.js';
import type { KubeObject, StoreChange } from './informer.js';
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
 * What the controller's plan may read of an object: everything but its status, its annotations
 * and the fields every write changes. No rule reads an oos object's annotations, which tools
 * rewrite often (`kubectl apply`'s last applied configuration, GitOps trackers);
 * `engine/plan/round.test.ts` checks that a round reusing its namespaces across such a change
 * plans what a fresh one does.
 */
function readByRules(object: object): Record<string, unknown> {
  const rest = withoutStatus(object);
  return { ...rest, metadata: { ...(rest.metadata as object), annotations: undefined } };
}

/**
 * `parsed`, holding the previous version's `spec` object when the two versions (same uid) differ
 * in nothing the rules read but their status ({@link readByRules}).
 */
function sameSpec(
  before: LastValid | undefined,
  uid: string | undefined,
  parsed: LastValid['parsed'],
): LastValid['parsed'] {
  if (before === undefined || before.uid !== uid || before.parsed.spec === undefined) return parsed;
  if (!sameJson(readByRules(before.parsed), readByRules(parsed))) return parsed;
  return { ...parsed, spec: before.parsed.spec };
}

/**
 * Each object's change over a run of watch events: its version before the first and after the
 * last, in the order the objects first changed (the order a store gives them), or `undefined`
 * when an object was deleted and created again among them (the store moved it to its end).
 */
function netChanges(
  changes: readonly StoreChange<Raw>[],
): Map<string, StoreChange<Raw>> | undefined {
  const net = new Map<string, { previous: Raw | undefined; next: Raw | undefined }>();
  for (const { previous, next } of changes) {
    const object = next ?? previous;
    if (object === undefined) continue;
    const key = keyOf(object);
    const seen = net.get(key);
    if (seen === undefined) net.set(key, { previous, next });
    else if (seen.next === undefined && next !== undefined) return undefined;
    else seen.next = next;
  }
  return net;
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
  /** What entered at the last admit or update, by `namespace/name`, in the store's order. */
  private readonly entered = new Map<string, unknown>();
  /** What was refused at the last admit or update, by `namespace/name`, in the store's order. */
  private readonly refused = new Map<string, InvalidObject>();
  private invalidNow: readonly InvalidObject[] = [];
  /** What the last admit or update returned: `entered`'s values, in its order. */
  private output: readonly unknown[] = [];
  /** Each key of `entered` by its position in `output`: made on the first need after a copy. */
  private positions: Map<string, number> | undefined;

  constructor(private readonly definition: KindDefinition) {}

  /** The objects that enter the snapshot, in the store's order. */
  admit(raws: readonly Raw[]): readonly unknown[] {
    this.entered.clear();
    this.refused.clear();
    for (const raw of raws) {
      const key = keyOf(raw);
      const outcome = this.outcome(raw);
      if (outcome.parsed !== undefined) this.entered.set(key, outcome.parsed);
      if (outcome.invalid !== undefined) this.refused.set(key, outcome.invalid);
    }
    for (const key of this.lastValid.keys()) {
      if (!this.entered.has(key) && !this.refused.has(key)) this.lastValid.delete(key);
    }
    this.invalidNow = [...this.refused.values()];
    return this.copied();
  }

  /** `entered`'s values as a new list, which the next in-place update makes its own from. */
  private copied(): readonly unknown[] {
    this.output = [...this.entered.values()];
    this.positions = undefined;
    return this.output;
  }

  /**
   * What {@link admit} of the whole store would return, after the store changed only by `changes`
   * (its watch events since the last admit or update, in order), judging only the objects they
   * name: one Capability changed re-judges one object instead of 5,000. The store keeps its order
   * (a changed object stays where it was, a new one comes last), and so does this. A change that
   * would move an object into the result or into the refused list at a place other than the end
   * (an object of the store that was refused and is now admitted, or the reverse) is not applied:
   * `undefined` is returned and the caller admits the whole store, as it must after a relist.
   * When every change replaces an admitted object by an admitted version of it, the result is
   * the last one with those positions replaced (`replacedAt`, which records them for the
   * snapshot's and the plan's comparisons), not a copy of the whole.
   */
  update(changes: readonly StoreChange<Raw>[]): readonly unknown[] | undefined {
    const net = netChanges(changes);
    if (net === undefined) return undefined;
    const refusedBefore = this.refused.size;
    const inPlace = new Map<string, unknown>();
    let moved = false;
    for (const [key, { previous, next }] of net) {
      if (next === undefined) {
        moved ||= this.entered.has(key);
        this.entered.delete(key);
        this.refused.delete(key);
        this.lastValid.delete(key);
        continue;
      }
      const outcome = this.outcome(next);
      const wasRefused = this.refused.has(key);
      const isNew = previous === undefined;
      // An existing object moving into either list would have to go back to its store position.
      if (!isNew && outcome.parsed !== undefined && !this.entered.has(key)) return undefined;
      if ((outcome.invalid !== undefined) !== wasRefused && !isNew) return undefined;
      if (outcome.parsed !== undefined && this.entered.has(key)) inPlace.set(key, outcome.parsed);
      else moved = true;
      if (outcome.parsed === undefined) this.entered.delete(key);
      else this.entered.set(key, outcome.parsed);
      if (outcome.invalid !== undefined) this.refused.set(key, outcome.invalid);
    }
    // Refused objects are few: their list is made again whenever there are any.
    if (refusedBefore > 0 || this.refused.size > 0) this.invalidNow = [...this.refused.values()];
    return moved ? this.copied() : this.replaced(inPlace);
  }

  /** The last output with the objects of `inPlace` (keys it holds) replaced at their positions. */
  private replaced(inPlace: ReadonlyMap<string, unknown>): readonly unknown[] {
    this.positions ??= keyPositions(this.entered.keys());
    const at = new Map<number, unknown>();
    for (const [key, parsed] of inPlace) {
      const position = this.positions.get(key);
      // Not one of the last output's keys (never, as the caller checks): the whole is copied.
      if (position === undefined) return this.copied();
      at.set(position, parsed);
    }
    this.output = replacedAt(this.output, at);
    return this.output;
  }

  /**
   * What one raw object becomes (judged once per version of it). While nothing but its status
   * and annotations changes, the parsed object keeps the very same `spec` object, so a consumer
   * can tell by identity that everything it reads besides the status is unchanged (the
   * controller's plan reuses its work by that identity, engine/plan/memo.ts).
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
      // What the schema did not change is held once: the stored object's parts, not a copy.
      const data = shareEqual(whole.data as LastValid['parsed'], raw);
      const parsed = sameSpec(this.lastValid.get(key), uid, data);
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
