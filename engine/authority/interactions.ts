import type { Capability, Interactions } from '../../api/index.js';
import {
  describeTraits,
  forbiddenBy,
  forbiddenMessage,
  type ClassTraits,
  type EdgeEnd,
} from '../coordination/index.js';
import type { Verdict } from '../decision.js';
import { sameJson } from '../json.js';
import { objectKey } from '../snapshot.js';
import { list } from '../text.js';
import type { GovernanceRequest } from './request.js';

type Spec = Capability['spec'];

/** One declared interaction: its list, whom it names, and the words messages use for it. */
interface Declared {
  readonly list: 'calls' | 'acceptsFrom' | 'egress' | 'clients';
  /** `ml/fraud-scoring`, or the egress or clients entry's name. */
  readonly peer: string;
  /** The entry as declared, to tell an unchanged one from a changed one. */
  readonly entry: unknown;
}

function declared(interactions: Interactions | undefined): Declared[] {
  if (interactions === undefined) return [];
  return [
    ...(interactions.calls ?? []).map((entry) => ({
      list: 'calls' as const,
      peer: objectKey(entry.namespace, entry.capability),
      entry,
    })),
    ...(interactions.acceptsFrom ?? []).map((entry) => ({
      list: 'acceptsFrom' as const,
      peer: objectKey(entry.namespace, entry.capability),
      entry,
    })),
    ...(interactions.egress ?? []).map((entry) => ({
      list: 'egress' as const,
      peer: entry.name,
      entry,
    })),
    ...(interactions.clients ?? []).map((entry) => ({
      list: 'clients' as const,
      peer: entry.name,
      entry,
    })),
  ];
}

const PHRASES: Readonly<Record<Declared['list'], (self: string, peer: string) => string>> = {
  calls: (self, peer) => `${self} calls ${peer}`,
  acceptsFrom: (self, peer) => `${self} accepts calls from ${peer}`,
  egress: (self, peer) => `${self} reaches the destination ${peer} outside the cluster`,
  clients: (self, peer) => `the clients ${peer} may call ${self}`,
};

/**
 * What a change of spec.interactions does, in the words an authority refusal uses ("declare that
 * ml/a calls ml/b"); undefined when the interactions did not change.
 */
export function describeInteractionChange(
  old: Spec | undefined,
  spec: Spec,
  self: string,
): string | undefined {
  if (old !== undefined && sameJson(old.interactions, spec.interactions)) return undefined;
  const key = (item: Declared) => `${item.list}/${item.peer}`;
  const before = new Map(declared(old?.interactions).map((item) => [key(item), item]));
  const after = declared(spec.interactions);
  const now = new Set(after.map(key));
  const phrases = [
    ...after
      .filter((item) => !sameJson(before.get(key(item))?.entry, item.entry))
      .map((item) => `declare that ${PHRASES[item.list](self, item.peer)}`),
    ...[...before.values()]
      .filter((item) => !now.has(key(item)))
      .map((item) => `withdraw that ${PHRASES[item.list](self, item.peer)}`),
  ];
  if (old?.interactions?.posture !== spec.interactions?.posture) {
    phrases.push(
      `set the interactions posture of ${self} to ${spec.interactions?.posture ?? 'the policy default'}`,
    );
  }
  return phrases.length === 0 ? `change the interactions of ${self}` : list(phrases, 3);
}

/** `namespace/name` of the capability a request is about, as interactions name capabilities. */
export function capabilityKey(request: GovernanceRequest<Capability>): string {
  return objectKey(request.namespace ?? '', request.object.metadata.name ?? '');
}

/** A declared interaction the coordination rules refuse, keyed so an old one is recognised. */
interface Violation {
  readonly key: string;
  readonly verdict: Verdict;
}

interface Side {
  readonly self: string;
  readonly traits: ClassTraits;
  readonly spec: Spec;
}

function traitsOf(spec: Spec): ClassTraits {
  return { autonomy: spec.autonomy, riskTier: spec.riskTier };
}

function violations(request: GovernanceRequest<Capability>, side: Side): Violation[] {
  const { coordination } = request.snapshot.policy.spec;
  const { self, traits, spec } = side;
  const interactions = spec.interactions;
  if (interactions === undefined) return [];
  const found: Violation[] = [];
  const peerTraits = (peer: string): ClassTraits | undefined => {
    if (peer === self) return traits;
    const indexed = request.snapshot.capabilities.get(peer);
    return indexed === undefined ? undefined : traitsOf(indexed.capability.spec);
  };
  const check = (
    item: Declared,
    caller: { name: string; traits: ClassTraits },
    callee: { name: string; end: EdgeEnd },
  ): void => {
    const rule = forbiddenBy(coordination, caller.traits, callee.end);
    if (rule === undefined) return;
    const calleeText =
      callee.end === 'external'
        ? `${callee.name} (outside the cluster)`
        : `${callee.name} (${describeTraits(callee.end)})`;
    found.push({
      key: `forbidden/${item.list}/${item.peer}/${rule.name}`,
      verdict: {
        reason: 'InteractionForbidden',
        message: `${request.subject} cannot declare that ${PHRASES[item.list](self, item.peer)}: ${forbiddenMessage(rule, `the edge from ${caller.name} (${describeTraits(caller.traits)}) to ${calleeText}`).replace(/[.\s]+$/, '')}; remove it from spec.interactions.${item.list}, or ask a governance admin about the rule.`,
      },
    });
  };
  const catalogue = new Set((coordination.endpoints ?? []).map((endpoint) => endpoint.name));
  for (const item of declared(interactions)) {
    if (item.list === 'calls') {
      const callee = peerTraits(item.peer);
      if (callee !== undefined) {
        check(item, { name: self, traits }, { name: item.peer, end: callee });
      }
    } else if (item.list === 'acceptsFrom') {
      const caller = peerTraits(item.peer);
      if (caller !== undefined) {
        check(item, { name: item.peer, traits: caller }, { name: self, end: traits });
      }
    } else if (item.list === 'egress') {
      check(item, { name: self, traits }, { name: item.peer, end: 'external' });
      const endpoint = (item.entry as { endpoint?: string }).endpoint;
      if (endpoint !== undefined && !catalogue.has(endpoint)) {
        found.push({
          key: `endpoint/${item.peer}/${endpoint}`,
          verdict: {
            reason: 'EndpointNotFound',
            message: `${request.subject} cannot declare that ${PHRASES.egress(self, item.peer)}: it names endpoint ${endpoint}, which the GovernancePolicy's coordination.endpoints catalogue does not hold (it holds ${list([...catalogue].sort())}); name one of those, give cidrs and ports instead, or ask a governance admin to add it.`,
          },
        });
      }
    }
  }
  return found;
}

/**
 * The coordination rules of a Capability's spec.interactions, for everyone (governance admins
 * and trusted appliers too): no edge in a GovernancePolicy forbiddenEdges class (the peer's class
 * read from the governance snapshot; a peer it does not hold cannot be classified and is
 * admitted, the controller reports it PeerNotFound), no egress endpoint missing from the
 * catalogue, no posture Open under a Closed policy. Only what the request makes newly wrong is
 * refused (a new or changed entry, a new autonomy or risk tier that puts a declared edge in a
 * forbidden class): an entry a later policy change made wrong never blocks other changes, and
 * suspending, resuming or withdrawing an edge is always possible.
 */
export function checkInteractions(request: GovernanceRequest<Capability>): Verdict | undefined {
  const { spec } = request.object;
  const old = request.old?.spec;
  const self = capabilityKey(request);
  const interactionsChanged = old === undefined || !sameJson(old.interactions, spec.interactions);
  const classChanged = old?.autonomy !== spec.autonomy || old.riskTier !== spec.riskTier;
  if (!interactionsChanged && !classChanged) return undefined;
  const { coordination } = request.snapshot.policy.spec;
  if (
    interactionsChanged &&
    spec.interactions?.posture === 'Open' &&
    coordination.posture === 'Closed'
  ) {
    return {
      reason: 'PostureNotAllowed',
      message: `${request.subject} cannot set spec.interactions.posture to Open: the GovernancePolicy's coordination posture is Closed, and a capability can be stricter than the policy, never looser; remove the field or set it to Closed.`,
    };
  }
  const before =
    old === undefined
      ? new Set<string>()
      : new Set(violations(request, { self, traits: traitsOf(old), spec: old }).map((v) => v.key));
  const fresh = violations(request, { self, traits: traitsOf(spec), spec }).find(
    (violation) => !before.has(violation.key),
  );
  return fresh?.verdict;
}
