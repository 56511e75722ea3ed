import type { Resource } from '../controller/paths.js';
import {
  CLUSTER_REPORT_NAME,
  OPENREPORTS_GROUP,
  OPENREPORTS_VERSION,
  REPORT_NAME,
} from '../../engine/reports/index.js';

/** The two OpenReports kinds oos writes, each under one name only. */
export const REPORT_RESOURCES = {
  Report: {
    resource: {
      group: OPENREPORTS_GROUP,
      version: OPENREPORTS_VERSION,
      kind: 'Report',
      plural: 'reports',
      namespaced: true,
    },
    name: REPORT_NAME,
  },
  ClusterReport: {
    resource: {
      group: OPENREPORTS_GROUP,
      version: OPENREPORTS_VERSION,
      kind: 'ClusterReport',
      plural: 'clusterreports',
      namespaced: false,
    },
    name: CLUSTER_REPORT_NAME,
  },
} as const satisfies Record<string, { resource: Resource; name: string }>;

export type ReportKind = keyof typeof REPORT_RESOURCES;
