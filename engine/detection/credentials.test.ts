import { describe, expect, it } from 'vitest';
import { DEFAULT_CREDENTIAL_ENV_VARS } from '../../api/index.js';
import { deployment, detectionConfig, pod, viewOf } from '../testing/fixtures.js';
import { detectCredentials } from './credentials.js';

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

  it('does not fire on other variables, nor on envFrom (whose keys are not in the object)', () => {
    const view = viewOf(
      pod({
        env: [
          { name: 'DATABASE_URL', value: 'x' },
          { name: 'OPENAI_API_BASE', value: 'x' },
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
