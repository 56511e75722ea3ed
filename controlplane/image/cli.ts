import { buildImage } from './build.js';
import { ControlPlaneError } from '../errors.js';

const USAGE = `Usage: npm run image [-- --help]

Builds the repository's Dockerfile into an OCI image archive with BuildKit (buildkitd for the
length of the build, buildctl, runc; built from pinned Go modules), with no registry and no
Docker daemon. FROM resolves to a base image made locally: Debian minbase (debootstrap) plus
Node.js 20 and npm from the npm registry, integrity checked. Cached by content: the same inputs
give the same archive and nothing is rebuilt. Needs root and scripts/install-test-deps.sh.

Prints the archive's path and its tag (oos.local/oos:<content hash>) on stdout, one per line.
Import it into containerd with:  ctr images import <archive>

Environment:
  XDG_CACHE_HOME      everything is cached in \${XDG_CACHE_HOME:-~/.cache}/oos/image
  OOS_DEBIAN_MIRROR   the Debian mirror for debootstrap (default: the one apt uses here)
`;

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  if (argv.length > 0) {
    process.stderr.write(`Unknown argument ${argv[0] ?? ''}.\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const image = await buildImage((line) => process.stderr.write(`${line}\n`));
  const mb = (image.sizeBytes / 1024 / 1024).toFixed(1);
  process.stderr.write(
    `oos image: ${image.cached ? 'cached (same inputs, not rebuilt)' : 'built'} in ` +
      `${image.seconds} s, ${mb} MiB\n`,
  );
  process.stdout.write(`${image.archive}\n${image.tag}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ControlPlaneError) {
    process.stderr.write(`${error.code}: ${error.message}\n`);
  } else {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exitCode = 1;
});
