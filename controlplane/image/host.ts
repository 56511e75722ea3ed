import { ControlPlaneError } from '../errors.js';
import { ociArchitecture } from './oci.js';
import { BASE_IMAGE } from './versions.js';

/** The base image's Node.js binary is the x64 one: refuse to make an image for another machine. */
export function requireArchitecture(): void {
  if (ociArchitecture(process.arch) !== BASE_IMAGE.architecture) {
    throw new ControlPlaneError(
      'OOS_ERR_IMAGE_DEPS',
      `The base image is pinned for ${BASE_IMAGE.architecture} (Node.js from ` +
        `${BASE_IMAGE.node.name}); this machine is ${process.arch}. Pin the Node.js package of ` +
        'this architecture in controlplane/image/versions.ts to build here.',
    );
  }
}

/**
 * Making the base image (debootstrap creates files of every owner) and building the image
 * (BuildKit runs the Dockerfile's RUN steps in containers: runc, overlayfs) need root.
 */
export function requireRoot(): void {
  if (process.getuid?.() !== 0) {
    throw new ControlPlaneError(
      'OOS_ERR_IMAGE_DEPS',
      'Building the image needs root: debootstrap makes the base image and BuildKit runs the ' +
        'RUN steps of the Dockerfile in containers (runc, overlayfs). Run `sudo npm run image`.',
    );
  }
}
