import type { OperatorConfig } from '../config.js';

/** What the admission thread gives the controller thread when it starts it. */
export interface ControllerThreadData {
  readonly config: OperatorConfig;
  /** The operator's identity, found once by the admission thread (`whoAmI`). */
  readonly operatorUser: string;
}

/** Admission thread → controller thread. */
export type ToController =
  { readonly type: 'metrics'; readonly id: number } | { readonly type: 'stop' };

/** Controller thread → admission thread. */
export type FromController =
  /** The metrics' text in UTF-8, its buffer transferred (see `ControllerThread.metrics`). */
  | { readonly type: 'metrics'; readonly id: number; readonly bytes: Uint8Array }
  | { readonly type: 'watch-restart'; readonly kind: string; readonly cause: string };
