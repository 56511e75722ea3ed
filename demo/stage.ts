import type { ControlPlane } from '../controlplane/controlplane.js';

/** The control plane and the oos the story runs on, however they were started. */
export interface RunningStage {
  readonly controlPlane: ControlPlane;
  /** True when a real node runs the story's Pods. */
  readonly node: boolean;
  /** One line: where oos runs. */
  readonly where: string;
  /** Lines of the "your turn" text that depend on the stage (metrics, logs). */
  readonly hints: readonly string[];
  /** Why the demo cannot go on (a process died), or undefined. */
  problem(): string | undefined;
  /** Stops oos, the node if any and the control plane; leaves nothing running. */
  stop(): Promise<void>;
}
