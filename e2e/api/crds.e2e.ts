import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KINDS } from '../../api/index.js';
import { getJson, kubectl, kubectlOk } from '../support/kubectl.js';
import { waitFor } from '../support/wait.js';
import { escalation, NAMESPACE, type KubeObject } from './fixtures.js';
import { CREATE_CASES, UPDATE_CASES } from './invalid-objects.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CRD_DIR = join(REPO, 'crds');
const SAMPLE_DIR = join(REPO, 'samples');

interface Condition {
  type: string;
  status: string;
  message?: string;
}
interface Crd {
  status?: { conditions?: Condition[]; acceptedNames?: { shortNames?: string[] } };
}

/**
 * Sends `object` with server-side dry-run (full admission and validation, nothing stored): with
 * `kubectl apply --server-side`, as GitOps tools do, or with `kubectl create`.
 */
function dryRun(object: KubeObject, via: 'apply' | 'create' = 'apply') {
  const verb =
    via === 'apply'
      ? ['apply', '--server-side', '--force-conflicts', '--field-manager=e2e-api']
      : ['create'];
  return kubectl([...verb, '--dry-run=server', '-f', '-'], { stdin: JSON.stringify(object) });
}

function resource(object: KubeObject): string[] {
  const namespace = object.metadata.namespace;
  return [object.kind.toLowerCase(), object.metadata.name, ...(namespace ? ['-n', namespace] : [])];
}

describe('the oos.dev CRDs on a real apiserver', () => {
  beforeAll(async () => {
    await kubectlOk(['apply', '--server-side', '-f', CRD_DIR]);
    await kubectlOk(['create', 'namespace', NAMESPACE]);
  });

  afterAll(async () => {
    await kubectl(['delete', '-f', SAMPLE_DIR, '--ignore-not-found', '--timeout=120s']);
    await kubectl(['delete', 'namespace', NAMESPACE, '--ignore-not-found', '--timeout=120s']);
  });

  describe('installation', () => {
    it.each(KINDS.map((k) => [k.kind, `${k.plural}.${k.group}`] as const))(
      '%s is Established, structural, with its short names accepted',
      async (_kind, name) => {
        const crd = await waitFor(`CRD ${name} Established`, async () => {
          const current = await getJson<Crd>(['crd', name]);
          const established = current.status?.conditions?.find((c) => c.type === 'Established');
          return established?.status === 'True' ? current : undefined;
        });
        const conditions = crd.status?.conditions ?? [];
        expect(conditions.filter((c) => c.type === 'NonStructuralSchema')).toEqual([]);
        expect(conditions.find((c) => c.type === 'NamesAccepted')?.status).toBe('True');
        const definition = KINDS.find((k) => `${k.plural}.${k.group}` === name);
        expect(crd.status?.acceptedNames?.shortNames).toEqual(definition?.shortNames);
      },
    );

    it.each(KINDS.flatMap((k) => k.shortNames.map((short) => [short, k.kind] as const)))(
      'short name %s resolves to %s, not to a built-in kind',
      async (short, kind) => {
        // Discovery of freshly established CRDs can lag a moment behind.
        const out = await waitFor(`kubectl explain ${short}`, async () => {
          const result = await kubectl(['explain', short]);
          return result.code === 0 ? result.stdout : undefined;
        });
        expect(out).toMatch(new RegExp(`KIND:\\s+${kind}\\b`));
        expect(out).toMatch(/GROUP:\s+oos\.dev\b/);
      },
    );

    it('kubectl explain teaches the API from the schema descriptions', async () => {
      const out = await waitFor('the OpenAPI of Capability to be published', async () => {
        const result = await kubectl(['explain', 'capability.spec.autonomy']);
        return result.code === 0 ? result.stdout : undefined;
      });
      expect(out).toContain('FIELD: autonomy <string>');
      expect(out).toMatch(/How much the AI does on its own/);
      expect(out).toMatch(/Autonomous\s+Supervised\s+Advisory/);
    });
  });

  describe('the samples', () => {
    it('all apply', async () => {
      const out = await kubectlOk(['apply', '--server-side', '-f', SAMPLE_DIR]);
      expect(out).toContain('capability.oos.dev/fraud-scoring serverside-applied');
      expect(out).toContain('accountablerole.oos.dev/credit-risk-officer serverside-applied');
    });

    it('are listed by kubectl get oos -A with the printer columns of every kind', async () => {
      // Escalations are opened by the controller; open one the way it would, to list it too.
      await kubectlOk(['create', '-f', '-'], { stdin: JSON.stringify(escalation()) });
      const out = await kubectlOk(['get', 'oos', '-A']);
      for (const definition of KINDS) {
        for (const column of definition.printerColumns.filter((c) => (c.priority ?? 0) === 0)) {
          expect(out, `${definition.kind} column ${column.name}`).toContain(
            column.name.toUpperCase(),
          );
        }
      }
      const row = (name: string): string =>
        out.split('\n').find((line) => line.includes(name)) ?? `no row for ${name}`;
      expect(row('capability.oos.dev/fraud-scoring')).toMatch(
        /risk-ai\s+capability\.oos\.dev\/fraud-scoring\s+credit-risk-officer\s+Supervised\s+High\s+false/,
      );
      expect(row('capability.oos.dev/invoice-triage')).toMatch(
        /accounts-payable-lead\s+Advisory\s+Limited/,
      );
      expect(row('delegation.oos.dev/fraud-scoring-fraud-scorer')).toMatch(
        /fraud-scoring\s+fraud-scorer\s+2027-01-29T00:00:00Z/,
      );
      expect(row('accountablerole.oos.dev/credit-risk-officer')).toContain('Credit Risk Officer');
      expect(row('governancepolicy.oos.dev/default')).toMatch(/Enforce\s+90d\s+14d/);
      expect(row('escalationpolicy.oos.dev/risk-escalations')).toContain('365d');
      expect(row('exemption.oos.dev/fraud-scoring-gpu-benchmark')).toContain(
        '2026-12-10T18:00:00Z',
      );
    });

    it('show status written through the status subresource in their columns', async () => {
      const status = {
        observedGeneration: 1,
        workloads: 3,
        activeDelegations: 1,
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'Anchored',
            message: 'Role credit-risk-officer has 2 current holders.',
            lastTransitionTime: '2026-11-26T00:00:00Z',
            observedGeneration: 1,
          },
        ],
      };
      await kubectlOk([
        ...['patch', 'capability', 'fraud-scoring', '-n', 'risk-ai', '--subresource=status'],
        ...['--type=merge', '-p', JSON.stringify({ status })],
      ]);
      const out = await kubectlOk(['get', 'cap', 'fraud-scoring', '-n', 'risk-ai']);
      expect(out).toMatch(
        /fraud-scoring\s+credit-risk-officer\s+Supervised\s+High\s+false\s+True\s+3\s/,
      );
      const refused = await kubectl([
        ...['patch', 'capability', 'fraud-scoring', '-n', 'risk-ai', '--subresource=status'],
        ...['--type=merge', '-p', JSON.stringify({ status: { workloads: -1 } })],
      ]);
      expect(refused.stderr).toContain('status.workloads');
    });

    it('can be selected by the references people filter on', async () => {
      const out = await kubectlOk([
        ...['get', 'dlg', '-n', 'risk-ai', '-o', 'name'],
        '--field-selector=spec.capability=fraud-scoring,spec.serviceAccount=fraud-scorer',
      ]);
      expect(out.trim()).toBe('delegation.oos.dev/fraud-scoring-fraud-scorer');
      const none = await kubectlOk([
        ...['get', 'cap', '-n', 'risk-ai', '-o', 'name'],
        '--field-selector=spec.accountableRole=nobody',
      ]);
      expect(none.trim()).toBe('');
    });

    it('are defaulted by the apiserver from the schema', async () => {
      const cap = await getJson<{ spec: Record<string, unknown> }>([
        'capability',
        'fraud-scoring',
        '-n',
        'risk-ai',
      ]);
      expect(cap.spec).toMatchObject({
        delegationRequired: true,
        suspend: false,
        stopAction: 'ScaleToZero',
      });
      const dlg = await getJson<{ spec: Record<string, unknown> }>([
        'delegation',
        'fraud-scoring-fraud-scorer',
        '-n',
        'risk-ai',
      ]);
      expect(dlg.spec.revoked).toBe(false);
    });
  });

  describe('invalid objects are refused by the apiserver, naming the field and the rule', () => {
    it.each(CREATE_CASES.map((c) => [c.rule, c] as const))('%s', async (_rule, testCase) => {
      const valid = await dryRun(testCase.valid, testCase.via);
      expect(valid.stderr).toBe('');
      expect(valid.code).toBe(0);
      const refused = await dryRun(testCase.create, testCase.via);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(testCase.create.metadata.name);
      for (const fragment of testCase.expect) expect(refused.stderr).toContain(fragment);
    });

    it.each(UPDATE_CASES.map((c) => [c.rule, c] as const))('%s', async (_rule, testCase) => {
      await kubectlOk(['create', '-f', '-'], { stdin: JSON.stringify(testCase.valid) });
      const refused = await kubectl([
        'patch',
        ...resource(testCase.valid),
        '--type=merge',
        '--dry-run=server',
        '-p',
        JSON.stringify({ spec: testCase.patch }),
      ]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(`"${testCase.valid.metadata.name}" is invalid`);
      for (const fragment of testCase.expect) expect(refused.stderr).toContain(fragment);
    });
  });
});
