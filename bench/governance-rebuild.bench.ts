/**
 * What one governance change costs the thread that holds the governance cache (admission's, and
 * the controller's own copy): the schema gate over every object, over the changed kind, and
 * over the changed object alone (`SchemaGate.update`, what the cache does), then
 * `buildSnapshot` with the previous snapshot (only the changed part re-indexed), at the size of
 * the large governance (1,000 roles, 5,000 capabilities, 10,000 delegations); then the same for
 * one Delegation changed, added and deleted, against indexing every Delegation afresh. Numbers
 * only, no assertions.
 *
 *   npx tsx bench/governance-rebuild.bench.ts
 */
import { performance } from 'node:perf_hooks';
import {
  accountableRoleKind,
  capabilityKind,
  delegationKind,
  type KindDefinition,
} from '../api/index.js';
import { buildSnapshot, type GovernanceObjects } from '../engine/index.js';
import { indexDelegations } from '../engine/delegation-index.js';
import { SchemaGate } from '../operator/cache/schema-gate.js';
import { largeGovernance } from './large-governance.js';
import { median } from './timing.js';

const RUNS = 30;

const all = largeGovernance();
type Raw = Parameters<SchemaGate['admit']>[0][number];
const kinds: [keyof GovernanceObjects, KindDefinition][] = [
  ['roles', accountableRoleKind],
  ['capabilities', capabilityKind],
  ['delegations', delegationKind],
];
const stores = new Map(
  kinds.map(([field]) => [field, [...((all[field] ?? []) as unknown as Raw[])]]),
);
const gates = new Map(kinds.map(([field, def]) => [field, new SchemaGate(def)]));
const admit = (field: keyof GovernanceObjects): readonly unknown[] =>
  gates.get(field)?.admit(stores.get(field) ?? []) ?? [];
/** Every kind through its gate (what the cache did before), or only the kind that changed. */
const admitted = (only?: keyof GovernanceObjects, last?: GovernanceObjects): GovernanceObjects =>
  Object.fromEntries(
    kinds.map(([field]) => [
      field,
      only === undefined || only === field || last === undefined ? admit(field) : last[field],
    ]),
  );

/** A new version of a stored object, its spec changed by `spec` (as a watch event brings it). */
function newVersion(raw: Raw | undefined, resourceVersion: number, spec: object): Raw {
  const old = raw as { metadata: { resourceVersion?: string }; spec: object };
  return {
    ...old,
    metadata: { ...old.metadata, resourceVersion: String(resourceVersion) },
    spec: { ...old.spec, ...spec },
  } as Raw;
}

let started = performance.now();
let objects = admitted();
let snapshot = buildSnapshot(objects, {});
console.log(
  `first: gate + snapshot of every object ${(performance.now() - started).toFixed(0)} ms`,
);

const everyTimes: number[] = [];
const gateTimes: number[] = [];
const updateTimes: number[] = [];
const snapshotTimes: number[] = [];
const capabilities = stores.get('capabilities') ?? [];
for (let i = 0; i < RUNS; i += 1) {
  // One Capability changes (a new version of it, as a watch event brings).
  const at = (i * 37) % capabilities.length;
  const next = newVersion(capabilities[at], 1000 + i, { description: `changed ${String(i)}` });
  capabilities[at] = next;
  started = performance.now();
  admitted();
  everyTimes.push(performance.now() - started);
  started = performance.now();
  objects = admitted('capabilities', objects);
  gateTimes.push(performance.now() - started);
  // What the cache does now: the gate judges the changed object alone (its watch event).
  const newer = { ...next, metadata: { ...next.metadata, resourceVersion: String(5000 + i) } };
  capabilities[at] = newer;
  started = performance.now();
  const updated = gates.get('capabilities')?.update([{ previous: next, next: newer }]);
  updateTimes.push(performance.now() - started);
  if (updated === undefined) throw new Error('an in-place change was not applied in place');
  objects = { ...objects, capabilities: updated as GovernanceObjects['capabilities'] };
  started = performance.now();
  snapshot = buildSnapshot(objects, {}, snapshot);
  snapshotTimes.push(performance.now() - started);
}
console.log(
  `after one Capability changed (median of ${String(RUNS)}): gate over every object ${median(everyTimes).toFixed(1)} ms, over the capabilities only ${median(gateTimes).toFixed(1)} ms, the changed object only ${median(updateTimes).toFixed(2)} ms, buildSnapshot ${median(snapshotTimes).toFixed(1)} ms`,
);

// One Delegation changes (revoked), one is added (it comes last in the store), one is deleted.
type Delegations = GovernanceObjects['delegations'];
const delegations = stores.get('delegations') ?? [];
const delegationGate = gates.get('delegations');
const changedTimes: number[] = [];
const addedTimes: number[] = [];
const deletedTimes: number[] = [];
const afreshTimes: number[] = [];
const rebuilt = (changes: Parameters<SchemaGate['update']>[0], times: number[]): void => {
  const updated = delegationGate?.update(changes);
  if (updated === undefined) throw new Error('a delegation change was not applied in place');
  objects = { ...objects, delegations: updated as Delegations };
  started = performance.now();
  snapshot = buildSnapshot(objects, {}, snapshot);
  times.push(performance.now() - started);
};
for (let i = 0; i < RUNS; i += 1) {
  const at = (i * 53) % delegations.length;
  const old = delegations[at];
  const next = newVersion(old, 9000 + i, { revoked: true });
  delegations[at] = next;
  rebuilt([{ previous: old, next }], changedTimes);
  const template = delegations[(at + 1) % delegations.length] as {
    metadata: { name?: string; resourceVersion?: string };
  };
  const added = {
    ...template,
    metadata: { ...template.metadata, name: `added-${String(i)}`, uid: `added-${String(i)}` },
  } as Raw;
  delegations.push(added);
  rebuilt([{ previous: undefined, next: added }], addedTimes);
  const [gone] = delegations.splice((i * 71) % (delegations.length - 1), 1);
  if (gone === undefined) throw new Error('no delegation to delete');
  rebuilt([{ previous: gone, next: undefined }], deletedTimes);
  started = performance.now();
  indexDelegations(objects.delegations ?? []);
  afreshTimes.push(performance.now() - started);
}
console.log(
  `buildSnapshot after one Delegation (median of ${String(RUNS)}): changed ${median(changedTimes).toFixed(2)} ms, added ${median(addedTimes).toFixed(2)} ms, deleted ${median(deletedTimes).toFixed(2)} ms; every Delegation indexed afresh ${median(afreshTimes).toFixed(1)} ms`,
);
