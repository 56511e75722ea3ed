// What `npm test` needs besides Node.js and Go, made ready before it starts (npm runs this as the
// `pretest` script, so the README's commands are enough on a fresh machine):
// - the control plane, kubectl, helm, promtool and Alertmanager: built from their pinned Go modules
//   into the cache, as `npm run controlplane:build` does (under a second once cached);
// - Chromium for the register's browser test: Debian's package, installed by
//   scripts/install-test-deps.sh when it is missing and this user may (root, or sudo without a
//   password); otherwise one line says what to run. No browser is ever downloaded.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBinaries } from '../controlplane/build.js';
import { ControlPlaneError } from '../controlplane/errors.js';
import { systemChromium } from '../e2e/support/browser.js';

const INSTALL_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'install-test-deps.sh');

const fail = (line: string): never => {
  process.stderr.write(`pretest: ${line}\n`);
  process.exit(1);
};

function chromium(): string | undefined {
  try {
    return systemChromium();
  } catch {
    return undefined;
  }
}

/** Root, or sudo that asks no password: apt-get may run without a prompt in the middle of a test run. */
function mayInstall(): boolean {
  if (process.getuid?.() === 0) return true;
  return spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
}

try {
  await ensureBinaries();
} catch (error) {
  if (error instanceof ControlPlaneError) fail(`${error.message} [${error.code}]`);
  throw error;
}

if (chromium() === undefined) {
  if (!mayInstall()) {
    fail(
      'the register e2e test needs Chromium and none is installed: run `sudo scripts/install-test-deps.sh` ' +
        "(Debian's chromium package), or set OOS_CHROMIUM to a Chromium executable, then `npm test` again.",
    );
  }
  const install = spawnSync('bash', [INSTALL_SCRIPT], { stdio: 'inherit' });
  if (install.status !== 0 || chromium() === undefined) {
    fail(
      `${INSTALL_SCRIPT} could not install Chromium (exit ${String(install.status)}); see above.`,
    );
  }
}
