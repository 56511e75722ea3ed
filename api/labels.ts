/** A workload joins the accountability chain by carrying this label; its value names a Capability. */
export const LABEL_CAPABILITY = 'oos.dev/capability';

/** Marks a workload as AI explicitly, when nothing else gives it away. */
export const LABEL_AI_WORKLOAD = 'oos.dev/ai-workload';

/** The value of {@link LABEL_AI_WORKLOAD} that marks a workload as AI. */
export const AI_WORKLOAD_LABEL_VALUE = 'true';
