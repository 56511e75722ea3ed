import { describe, expect, it } from 'vitest';
import type { Exemption } from '../../api/index.js';
import {
  anchoredLabels,
  chainState,
  deployment,
  exemption as exemptionFixture,
  OPERATOR_NAMESPACE,
  snapshot,
  withSpec,
} from '../testing/fixtures.js';
import { exemption } from './exemption.js';

const workload = deployment({
  name: 'vllm',
  image: 'vllm/vllm-openai:v0.6.3',
  labels: { ...anchoredLabels, app: 'vllm' },
});

function decideWith(...exemptions: Exemption[]) {
  return exemption(chainState(workload, snapshot({ exemptions })));
}

describe('Exemptions', () => {
  it('admit a matching workload while approved and unexpired, naming the approver', () => {
    const result = decideWith(exemptionFixture('incident'));
    if (!('verdict' in result)) throw new Error('expected a verdict');
    expect(result.verdict.reason).toBe('Exempted');
    expect(result.verdict.message).toContain(
      'Exemption ml/incident (approved by alice, expires 2026-06-10T00:00:00Z)',
    );
    expect(result.verdict.warnings).toEqual([result.verdict.message]);
    expect(result.verdict.chain?.exemption).toEqual({ namespace: 'ml', name: 'incident' });
  });

  it('have no effect unapproved', () => {
    expect(
      decideWith(exemptionFixture('pending', { approved: false, approvedBy: undefined })),
    ).toHaveProperty('next');
  });

  it('have no effect self-approved', () => {
    const selfApproved = withSpec(exemptionFixture('self'), {
      requestedBy: 'alice',
      approvedBy: 'alice',
    });
    expect(decideWith(selfApproved)).toHaveProperty('next');
  });

  it('have no effect once expired', () => {
    expect(
      decideWith(exemptionFixture('old', { expiresAt: '2026-06-01T12:00:00Z' })),
    ).toHaveProperty('next');
    expect(
      decideWith(exemptionFixture('live', { expiresAt: '2026-06-01T12:00:01Z' })),
    ).toHaveProperty('verdict');
  });

  it.each([
    ['another kind', { kinds: [{ group: 'batch', kind: 'Job' }] }],
    ['another name', { names: ['other'] }],
    ['other labels', { selector: { matchLabels: { app: 'other' } } }],
    ['one field of several', { names: ['vllm'], selector: { matchLabels: { app: 'other' } } }],
  ])('do not cover %s', (_, scope) => {
    expect(decideWith(exemptionFixture('narrow', { scope }))).toHaveProperty('next');
  });

  it.each([
    ['its kind', { kinds: [{ group: 'apps', kind: 'Deployment' }] }],
    ['its name', { names: ['vllm'] }],
    [
      'its labels',
      { selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['vllm'] }] } },
    ],
  ])('cover a workload by %s', (_, scope) => {
    expect(decideWith(exemptionFixture('narrow', { scope }))).toHaveProperty('verdict');
  });

  it('cover only workloads of the capability they name', () => {
    expect(decideWith(exemptionFixture('other', { capability: 'forecasting' }))).toHaveProperty(
      'next',
    );
    expect(decideWith(exemptionFixture('same', { capability: 'chat-assistant' }))).toHaveProperty(
      'verdict',
    );
  });

  it('cover another namespace only from the oos namespace', () => {
    const central = exemptionFixture(
      'central',
      { scope: { namespace: 'ml', names: ['vllm'] } },
      OPERATOR_NAMESPACE,
    );
    const elsewhere = exemptionFixture(
      'elsewhere',
      { scope: { namespace: 'ml', names: ['vllm'] } },
      'team-b',
    );
    expect(decideWith(central)).toHaveProperty('verdict');
    expect(decideWith(elsewhere)).toHaveProperty('next');
  });
});
