import { describe, expect, it } from 'vitest';
import { mutatingConfiguration, validatingConfiguration } from './registration.js';

const options = {
  name: 'oos',
  target: { url: 'https://127.0.0.1:9443/' },
  caBundle: 'PEM',
  operatorNamespace: 'oos-system',
  operatorUser: 'system:serviceaccount:oos-system:oos',
};

interface Webhook {
  name: string;
  clientConfig: { url?: string; caBundle: string; service?: { path: string } };
  failurePolicy: string;
  timeoutSeconds: number;
  sideEffects: string;
  matchPolicy: string;
  namespaceSelector: { matchExpressions: { values: string[] }[] };
  matchConditions?: { name: string; expression: string }[];
  rules: { resources: string[]; operations: string[] }[];
}
const webhooks = (config: Record<string, unknown>): Webhook[] => config.webhooks as Webhook[];

describe('webhook configurations', () => {
  it('fail closed, fast, without side effects, excluding the system and own namespaces', () => {
    for (const webhook of [
      ...webhooks(validatingConfiguration(options)),
      ...webhooks(mutatingConfiguration(options)),
    ]) {
      expect(webhook).toMatchObject({
        failurePolicy: 'Fail',
        timeoutSeconds: 3,
        sideEffects: 'None',
        matchPolicy: 'Equivalent',
      });
      expect(webhook.namespaceSelector.matchExpressions[0]?.values).toEqual([
        'kube-system',
        'kube-node-lease',
        'kube-public',
        'oos-system',
      ]);
      expect(Buffer.from(webhook.clientConfig.caBundle, 'base64').toString()).toBe('PEM');
    }
  });

  it('sends workloads and oos kinds to /validate and oos kinds to /mutate', () => {
    const [workloads, governance] = webhooks(validatingConfiguration(options));
    const [stamp] = webhooks(mutatingConfiguration(options));
    expect(workloads?.clientConfig.url).toBe('https://127.0.0.1:9443/validate');
    expect(workloads?.rules.flatMap((r) => r.resources)).toEqual(
      expect.arrayContaining(['pods', 'deployments', 'cronjobs', 'inferenceservices', 'rayjobs']),
    );
    expect(workloads?.matchConditions?.map((c) => c.name)).toEqual([
      'changes-spec-or-labels',
      'not-the-operator',
    ]);
    expect(governance?.clientConfig.url).toBe('https://127.0.0.1:9443/validate');
    expect(stamp?.clientConfig.url).toBe('https://127.0.0.1:9443/mutate');
  });

  it('targets the Service in a cluster', () => {
    const [workloads] = webhooks(
      validatingConfiguration({
        ...options,
        target: { service: { namespace: 'oos-system', name: 'oos-webhook', port: 443 } },
      }),
    );
    expect(workloads?.clientConfig.service).toEqual({
      namespace: 'oos-system',
      name: 'oos-webhook',
      port: 443,
      path: '/validate',
    });
  });
});
