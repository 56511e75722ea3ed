import type { Detector, Signal } from './signal.js';

/**
 * Environment variables that carry a model provider's credentials: how AI agents without GPUs are
 * found. Matches `env[].name` and the Secret or ConfigMap key an entry reads (`valueFrom`).
 * `envFrom` imports keys oos cannot see in the object; label such workloads explicitly.
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
