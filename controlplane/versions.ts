import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Go module that pins the control plane (this folder). */
export const MODULE_DIR = dirname(fileURLToPath(import.meta.url));
/** The Go module that pins Helm, apart so its Kubernetes libraries never fight the control plane's. */
export const HELM_MODULE_DIR = join(MODULE_DIR, 'helm');
/** The Go modules of the Prometheus tools the tests run, one each: their libraries disagree. */
export const PROMTOOL_MODULE_DIR = join(MODULE_DIR, 'monitoring', 'promtool');
export const ALERTMANAGER_MODULE_DIR = join(MODULE_DIR, 'monitoring', 'alertmanager');
/**
 * The page Alertmanager's web UI serves: its module holds the UI's sources, not the built assets
 * (npm builds them in its release process), and oos uses only Alertmanager's API.
 */
export const ALERTMANAGER_UI_PAGE = join(ALERTMANAGER_MODULE_DIR, 'ui.html');

export interface PinnedVersions {
  readonly kubernetes: string;
  readonly etcd: string;
  readonly helm: string;
  readonly prometheus: string;
  readonly alertmanager: string;
  /** Changes whenever go.mod or go.sum of any module (or Alertmanager's UI page) changes. */
  readonly fingerprint: string;
}

export function requiredVersion(goMod: string, module: string): string {
  const line = new RegExp(`^\\s*(?:require\\s+)?${module.replace(/[.]/g, '\\.')}\\s+(v\\S+)`, 'm');
  const match = line.exec(goMod);
  if (!match?.[1]) throw new Error(`go.mod does not require ${module}`);
  return match[1];
}

/** Reads the pinned versions from the go.mod files: they are the single source of truth. */
export function pinnedVersions(): PinnedVersions {
  const files = [
    ...['go.mod', 'go.sum'].flatMap((f) => [
      join(MODULE_DIR, f),
      join(HELM_MODULE_DIR, f),
      join(PROMTOOL_MODULE_DIR, f),
      join(ALERTMANAGER_MODULE_DIR, f),
    ]),
    ALERTMANAGER_UI_PAGE,
  ];
  const hash = createHash('sha256');
  for (const file of files) hash.update(readFileSync(file));
  const goMod = readFileSync(join(MODULE_DIR, 'go.mod'), 'utf8');
  const helmGoMod = readFileSync(join(HELM_MODULE_DIR, 'go.mod'), 'utf8');
  const promtoolGoMod = readFileSync(join(PROMTOOL_MODULE_DIR, 'go.mod'), 'utf8');
  const alertmanagerGoMod = readFileSync(join(ALERTMANAGER_MODULE_DIR, 'go.mod'), 'utf8');
  return Object.freeze({
    kubernetes: requiredVersion(goMod, 'k8s.io/kubernetes'),
    etcd: requiredVersion(goMod, 'go.etcd.io/etcd/server/v3'),
    helm: requiredVersion(helmGoMod, 'helm.sh/helm/v3'),
    prometheus: requiredVersion(promtoolGoMod, 'github.com/prometheus/prometheus'),
    alertmanager: requiredVersion(alertmanagerGoMod, 'github.com/prometheus/alertmanager'),
    fingerprint: hash.digest('hex').slice(0, 12),
  });
}
