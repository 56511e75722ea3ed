import type { Detector, Signal } from './signal.js';

/** Container images of known AI runtimes (globs over the full image reference). */
export const detectImages: Detector = (view, config) => {
  const signals: Signal[] = [];
  for (const pod of view.pods) {
    for (const container of pod.containers) {
      if (container.image === undefined) continue;
      const pattern = config.images.firstMatch(container.image);
      if (pattern === undefined) continue;
      signals.push({
        type: 'Image',
        reason: `image ${container.image} of container ${container.name} matches ${pattern}`,
      });
    }
  }
  return signals;
};
