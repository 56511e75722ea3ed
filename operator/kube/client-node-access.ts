import type { KubeConfig } from '@kubernetes/client-node';
import type { ApiAccess } from './access.js';

/**
 * A kubeconfig user with an `exec` plugin or an `auth-provider` (cloud logins): these run
 * programs and refresh tokens as `@kubernetes/client-node` implements them, so that library reads
 * the same kubeconfig, imported on the first request only (it is 27 MiB of heap that every other
 * kubeconfig does without).
 */
export function clientNodeAccess(
  server: string,
  file: string | undefined,
  context: string,
): ApiAccess {
  let loaded: Promise<KubeConfig> | undefined;
  const load = async (): Promise<KubeConfig> => {
    const { KubeConfig } = await import('@kubernetes/client-node');
    const config = new KubeConfig();
    if (file === undefined) config.loadFromDefault();
    else config.loadFromFile(file);
    config.setCurrentContext(context);
    return config;
  };
  return {
    server: server.replace(/\/$/, ''),
    async apply(options) {
      loaded ??= load().catch((error: unknown) => {
        loaded = undefined; // a later request tries again
        throw error;
      });
      await (await loaded).applyToHTTPSOptions(options);
    },
  };
}
