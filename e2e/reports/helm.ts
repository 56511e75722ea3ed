import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

const CHART = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'charts', 'oos');

/** `helm template` of the oos chart with `args` (the helm built with the control plane). */
export async function renderChart(args: readonly string[]): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), 'oos-reports-e2e-helm-'));
  try {
    return await new Promise((resolvePromise, reject) => {
      execFile(
        inject('helm'),
        ['template', 'oos', CHART, '--namespace', 'oos-system', ...args],
        {
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
          env: {
            ...process.env,
            HELM_CACHE_HOME: join(home, 'cache'),
            HELM_CONFIG_HOME: join(home, 'config'),
            HELM_DATA_HOME: join(home, 'data'),
          },
        },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`helm template failed: ${stderr || error.message}`));
          else resolvePromise(stdout);
        },
      );
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** The OpenReports CRDs as the chart renders them with openreports.installCRDs=true. */
export function chartOpenReportsCrds(): Promise<string> {
  return renderChart([
    ...['--set', 'openreports.installCRDs=true'],
    ...['--show-only', 'templates/openreports-crds.yaml'],
  ]);
}
