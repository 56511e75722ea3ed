import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Where the browser tests keep what they produce (screenshots): gitignored, kept after the run. */
export const ARTIFACTS_DIR = join(process.cwd(), 'artifacts');

/** The names Debian and other distributions give the Chromium executable. */
const CHROMIUM_NAMES = ['chromium', 'chromium-browser'];

/**
 * The system Chromium: $OOS_CHROMIUM, else the first `chromium` or `chromium-browser` on the PATH.
 * No browser is ever downloaded; scripts/install-test-deps.sh installs Debian's package.
 */
export function systemChromium(): string {
  const configured = process.env.OOS_CHROMIUM;
  if (configured !== undefined && configured !== '') return configured;
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of CHROMIUM_NAMES) {
      const candidate = join(directory, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  throw new Error(
    "no Chromium found (chromium or chromium-browser on the PATH, or $OOS_CHROMIUM): run scripts/install-test-deps.sh, which installs Debian's chromium package",
  );
}

/** Headless Chromium driven by playwright-core, without its sandbox when running as root. */
export function launchChromium(): Promise<Browser> {
  const root = process.getuid?.() === 0;
  return chromium.launch({
    executablePath: systemChromium(),
    headless: true,
    args: root ? ['--no-sandbox'] : [],
  });
}
