import { describe, expect, it } from 'vitest';
import { CliError } from './errors.js';
import { governanceObjects, unknownField, validateOosObject } from './governance.js';
import { parseManifests } from './manifests.js';

const ROLE = `apiVersion: oos.dev/v1alpha1
kind: AccountableRole
metadata:
  name: ops
spec:
  title: Operations Lead
  responsibilities: [Risk]
  holders:
    - name: Erin Example
      email: erin@example.com
      user: erin
      attestedUntil: "2027-01-01T00:00:00Z"
`;

const CAPABILITY = `apiVersion: oos.dev/v1alpha1
kind: Capability
metadata:
  name: summarizer
spec:
  description: Summarises tickets.
  intendedUse: Drafts summaries people read.
  accountableRole: ops
  autonomy: Advisory
  riskTier: Minimal
`;

function validate(text: string) {
  const [manifest] = parseManifests('g.yaml', text);
  if (manifest === undefined) throw new Error('no manifest');
  return validateOosObject(manifest);
}

function errorOf(run: () => unknown): CliError {
  try {
    run();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('expected a CliError');
}

describe('unknown fields', () => {
  it('are the fields of the input that the parsed output dropped', () => {
    expect(unknownField({ a: 1, b: { c: 1, d: 2 } }, { a: 1, b: { c: 1 } })).toEqual(['b', 'd']);
    expect(
      unknownField({ list: [{ x: 1 }, { x: 1, y: 2 }] }, { list: [{ x: 1 }, { x: 1 }] }),
    ).toEqual(['list', 1, 'y']);
    expect(unknownField({ a: 1 }, { a: 1, defaulted: true })).toBeUndefined();
  });
});

describe('validating governance objects', () => {
  it('parses valid objects with their defaults, in namespace default when they name none', () => {
    const { object } = validate(CAPABILITY);
    expect(object).toMatchObject({
      metadata: { namespace: 'default' },
      spec: { delegationRequired: true, suspend: false },
    });
    expect(validate(ROLE).object).toMatchObject({ metadata: { name: 'ops' } });
  });

  it('refuses unknown fields, naming file, position, object and field', () => {
    const error = errorOf(() =>
      validate(CAPABILITY.replace('riskTier: Minimal', 'riskTier: Minimal\n  riskTeir: High')),
    );
    expect(error.code).toBe('OOS_ERR_UNKNOWN_FIELD');
    expect(error.message).toBe(
      'g.yaml:11:3: Capability summarizer (document 1): unknown field spec.riskTeir',
    );
  });

  it('refuses invalid objects, naming the failing fields', () => {
    const error = errorOf(() =>
      validate(CAPABILITY.replace('riskTier: Minimal', 'riskTier: Huge')),
    );
    expect(error.code).toBe('OOS_ERR_INVALID_OBJECT');
    expect(error.message).toMatch(
      /^g\.yaml:10:3: Capability summarizer \(document 1\) is not a valid Capability: spec\.riskTier: /,
    );
  });

  it('refuses kinds and versions oos does not have', () => {
    expect(errorOf(() => validate(ROLE.replace('kind: AccountableRole', 'kind: Role'))).code).toBe(
      'OOS_ERR_UNKNOWN_KIND',
    );
    expect(errorOf(() => validate(ROLE.replace('v1alpha1', 'v1'))).message).toContain(
      'oos.dev has no kind AccountableRole in version v1',
    );
  });

  it('groups the governance objects by kind and ignores everything else', () => {
    const manifests = parseManifests(
      'g.yaml',
      `${ROLE}---\n${CAPABILITY}---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa}\n`,
    );
    const objects = governanceObjects(manifests);
    expect(objects.roles).toHaveLength(1);
    expect(objects.capabilities).toHaveLength(1);
    expect(objects.delegations).toEqual([]);
  });
});
