import { describe, expect, it } from 'vitest';
import { DEFAULT_CREDENTIAL_ENV_VARS, DEFAULT_CREDENTIAL_SOURCE_NAMES } from '../../api/index.js';
import { deployment, detectionConfig, pod, viewOf } from '../testing/fixtures.js';
import { detectCredentials, detectCredentialSources } from './credentials.js';

describe('credential signal', () => {
  const builtIn = detectionConfig();

  it.each(DEFAULT_CREDENTIAL_ENV_VARS.map((glob) => glob.replace('*', 'API_KEY')))(
    'fires on env %s',
    (name) => {
      const signals = detectCredentials(
        viewOf(deployment({ env: [{ name, value: 'x' }] })),
        builtIn,
      );
      expect(signals).toEqual([
        { type: 'Credential', reason: `model-provider credential ${name} in container main` },
      ]);
    },
  );

  it('fires on the Secret key an env entry reads', () => {
    const env = [
      { name: 'LLM_KEY', valueFrom: { secretKeyRef: { name: 'llm', key: 'ANTHROPIC_API_KEY' } } },
    ];
    expect(detectCredentials(viewOf(pod({ env })), builtIn).map((s) => s.reason)).toEqual([
      'model-provider credential ANTHROPIC_API_KEY in container main',
    ]);
  });

  it('does not fire on other variables (envFrom is another signal)', () => {
    const view = viewOf(
      pod({
        env: [
          { name: 'DATABASE_URL', value: 'x' },
          { name: 'OPENAI_API_BASE', value: 'x' },
          { name: 'GOOGLE_APPLICATION_CREDENTIALS', value: '/var/run/key.json' },
        ],
      }),
    );
    expect(detectCredentials(view, builtIn)).toEqual([]);
    const envFrom = viewOf({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {},
      spec: { containers: [{ name: 'a', envFrom: [{ secretRef: { name: 'openai' } }] }] },
    });
    expect(detectCredentials(envFrom, builtIn)).toEqual([]);
  });

  it('uses policy globs', () => {
    const config = detectionConfig({
      includeBuiltIns: false,
      credentialEnvVars: ['INTERNAL_LLM_*'],
    });
    expect(
      detectCredentials(viewOf(pod({ env: [{ name: 'INTERNAL_LLM_TOKEN' }] })), config),
    ).toHaveLength(1);
    expect(detectCredentials(viewOf(pod({ env: [{ name: 'OPENAI_API_KEY' }] })), config)).toEqual(
      [],
    );
  });
});

describe('credential sources (envFrom, a heuristic on Secret and ConfigMap names)', () => {
  const builtIn = detectionConfig();
  const importing = (envFrom: unknown[]) =>
    viewOf({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { template: { spec: { containers: [{ name: 'agent', image: 'x', envFrom }] } } },
    });

  it.each(DEFAULT_CREDENTIAL_SOURCE_NAMES.map((glob) => glob.replaceAll('*', '')))(
    'fires on a Secret named like %s',
    (name) => {
      const signals = detectCredentialSources(
        importing([{ secretRef: { name: `team-${name}-keys` } }]),
        builtIn,
      );
      expect(signals).toHaveLength(1);
      expect(signals[0]?.type).toBe('Credential');
    },
  );

  it('fires on ConfigMaps too, and says which and why', () => {
    expect(
      detectCredentialSources(importing([{ configMapRef: { name: 'llm-gateway' } }]), builtIn),
    ).toEqual([
      {
        type: 'Credential',
        reason:
          'model-provider credentials from ConfigMap llm-gateway (envFrom, name matches *llm*) in container agent',
      },
    ]);
  });

  it('does not fire on other names', () => {
    expect(
      detectCredentialSources(
        importing([{ secretRef: { name: 'postgres' } }, { configMapRef: { name: 'app-config' } }]),
        builtIn,
      ),
    ).toEqual([]);
  });

  it('uses the policy globs (credentialSourceNames)', () => {
    const config = detectionConfig({ credentialSourceNames: ['ai-keys-*'] });
    expect(
      detectCredentialSources(importing([{ secretRef: { name: 'ai-keys-prod' } }]), config),
    ).toHaveLength(1);
  });
});
