import { describe, expect, it } from 'vitest';
import {
  anchoredOptions,
  chainState,
  deployment,
  OPERATOR_NAMESPACE,
  policy,
  snapshot,
} from '../testing/fixtures.js';
import { exemptNamespace } from './exempt-namespace.js';

const ai = (namespace: string) => deployment({ ...anchoredOptions, namespace });

describe('exempt namespaces', () => {
  it.each(['kube-system', 'kube-node-lease', 'kube-public', OPERATOR_NAMESPACE])(
    'admit AI workloads in %s with a warning',
    (namespace) => {
      const result = exemptNamespace(chainState(ai(namespace)));
      expect(result).toMatchObject({ verdict: { reason: 'Exempted' } });
      if (!('verdict' in result)) throw new Error('expected a verdict');
      expect(result.verdict.message).toContain(`namespace ${namespace} is exempt`);
      expect(result.verdict.warnings).toEqual([result.verdict.message]);
    },
  );

  it('let other namespaces through to the chain', () => {
    expect(exemptNamespace(chainState(ai('ml')))).toHaveProperty('next');
  });

  it("are the policy's list when it sets one (replacing the defaults)", () => {
    const snap = snapshot({ policies: [policy({ exemptNamespaces: ['monitoring'] })] });
    expect(exemptNamespace(chainState(ai('monitoring'), snap))).toHaveProperty('verdict');
    expect(exemptNamespace(chainState(ai('kube-system'), snap))).toHaveProperty('next');
  });
});
