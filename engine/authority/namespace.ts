import { settled, type Decision } from '../decision.js';
import type { AdmissionInput } from '../input.js';
import { arrayAt, at, isRecord, stringAt, stringMapAt } from '../json.js';
import { NAMESPACE_NAME_LABEL } from '../policy.js';
import { isOperatorUser, type GovernanceSnapshot } from '../snapshot.js';
import { list } from '../text.js';
import { classifyActor, describeActor } from './identity.js';

/** Whether a request is about a Namespace itself (core group). */
export function isNamespaceRequest(input: AdmissionInput): boolean {
  return input.kind.group === '' && input.kind.kind === 'Namespace';
}

/** How deep the policy is searched for namespace selectors (the spec is a few levels deep). */
const MAX_DEPTH = 8;

/**
 * The namespace label keys a GovernancePolicy reads: the keys of every `namespaceSelector` in its
 * spec (enforcement rules, and any other field that selects namespaces), matchLabels and
 * matchExpressions alike. The name label is the apiserver's own (it always equals the name), so
 * no one can change it and it is left out.
 */
export function governedNamespaceLabels(spec: unknown): ReadonlySet<string> {
  const keys = new Set<string>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    if (Array.isArray(value)) {
      for (const item of value as readonly unknown[]) visit(item, depth + 1);
      return;
    }
    if (!isRecord(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'namespaceSelector' && isRecord(child)) {
        for (const label of stringMapAt(child, 'matchLabels').keys()) keys.add(label);
        for (const expression of arrayAt(child, 'matchExpressions')) {
          const label = stringAt(expression, 'key');
          if (label !== undefined) keys.add(label);
        }
      } else {
        visit(child, depth + 1);
      }
    }
  };
  visit(spec, 0);
  keys.delete(NAMESPACE_NAME_LABEL);
  return keys;
}

const allow = (message: string): Decision =>
  settled(true, { reason: 'NotGoverned', message }, 'Enforce');

/**
 * The labels a GovernancePolicy selects namespaces by choose how strictly oos enforces there, so
 * adding, changing or removing one (creating a namespace with one included) is for a governance
 * admin or a trusted applier only, as adding an Exemption is accountable. Every other change to a
 * Namespace passes untouched.
 */
export function decideNamespace(input: AdmissionInput, snapshot: GovernanceSnapshot): Decision {
  const name = input.name ?? stringAt(input.object, 'metadata', 'name') ?? '';
  const subject = `Namespace ${name}`;
  const judged =
    (input.operation === 'CREATE' || input.operation === 'UPDATE') &&
    (input.subResource === undefined || input.subResource === '');
  if (!judged) return allow(`${input.operation} of ${subject} is left to RBAC.`);
  if (
    input.operation === 'UPDATE' &&
    at(input.object, 'metadata', 'deletionTimestamp') !== undefined
  ) {
    return allow(`${subject} is being deleted; oos does not judge its last updates.`);
  }
  const governed = governedNamespaceLabels(snapshot.policy.spec);
  const before = stringMapAt(
    input.operation === 'UPDATE' ? input.oldObject : undefined,
    'metadata',
    'labels',
  );
  const after = stringMapAt(input.object, 'metadata', 'labels');
  const changed = [...governed].filter((key) => before.get(key) !== after.get(key)).sort();
  if (changed.length === 0) {
    return allow(
      `this change of ${subject} touches no label the GovernancePolicy selects namespaces by.`,
    );
  }
  const actor = classifyActor(input.userInfo, snapshot.policy);
  const operator = isOperatorUser(snapshot, actor.username);
  const labels = `label${changed.length === 1 ? '' : 's'} ${list(changed)}`;
  if (actor.admin || actor.kind === 'TrustedApplier' || operator) {
    return settled(
      true,
      {
        reason: 'Authorized',
        message: `${describeActor(actor)} may change the ${labels} of ${subject}.`,
      },
      'Enforce',
    );
  }
  return settled(
    false,
    {
      reason: 'NamespaceLabelGoverned',
      message: `${describeActor(actor)} cannot ${input.operation === 'CREATE' ? 'create' : 'change'} ${subject} with a change to the ${labels}: the GovernancePolicy selects namespaces by ${changed.length === 1 ? 'it' : 'them'} to choose how strictly oos enforces there, so only a governance admin or a trusted applier (GitOps) may add, change or remove ${changed.length === 1 ? 'it' : 'them'}; leave ${changed.length === 1 ? 'it' : 'them'} as ${changed.length === 1 ? 'it is' : 'they are'} and ask a governance admin.`,
    },
    'Enforce',
  );
}
