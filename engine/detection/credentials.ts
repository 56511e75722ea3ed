import type { Detector, Signal } from './signal.js';

/**
 * Environment variables that carry a model provider's credentials: how AI agents without GPUs are
 * found. Matches `env[].name` and the Secret or ConfigMap key an entry reads (`valueFrom`).
 * `envFrom` imports keys oos cannot see in the object: see {@link detectCredentialSources}.
 */
export const detectCredentials: Detector = (view, config) => {
  const signals: Signal[] = [];
  for (const pod of view.pods) {
    for (const container of pod.containers) {
      const names = container.envNames.filter((name) => config.credentials.matches(name));
      if (names.length === 0) continue;
      signals.push({
        type: 'Credential',
        reason: `model-provider credential ${[...new Set(names)].join(', ')} in container ${container.name}`,
      });
    }
  }
  return signals;
};

/**
 * `envFrom` imports of Secrets or ConfigMaps whose names look like model-provider credentials
 * (`credentialSourceNames` globs). A heuristic: the keys imported are not in the object.
 */
export const detectCredentialSources: Detector = (view, config) => {
  const signals: Signal[] = [];
  for (const pod of view.pods) {
    for (const container of pod.containers) {
      for (const source of container.envSources) {
        const pattern = config.credentialSources.firstMatch(source.name);
        if (pattern === undefined) continue;
        signals.push({
          type: 'Credential',
          reason: `model-provider credentials from ${source.kind} ${source.name} (envFrom, name matches ${pattern}) in container ${container.name}`,
        });
      }
    }
  }
  return signals;
};
