import type { KubeConfig } from '@kubernetes/client-node';
import type { ApiAccess } from './access.js';

/** The one context a kubeconfig chose, its cluster and its user, as kubeconfig entries. */
export interface ChosenContext {
  readonly name: string;
  readonly cluster: { readonly name: string; readonly cluster: unknown };
  readonly user: { readonly name: string; readonly user: unknown };
}

/**
 * A kubeconfig user with an `exec` plugin or an `auth-provider` (cloud logins): these run
 * programs and refresh tokens as `@kubernetes/client-node` implements them, so that library is
 * given the context `kubeconfig.ts` chose (already merged, its paths already absolute: no file
 * is read or merged twice), imported on the first request only (it is 27 MiB of heap that every
 * other kubeconfig does without).
 */
export function clientNodeAccess(server: string, chosen: ChosenContext): ApiAccess {
  let loaded: Promise<KubeConfig> | undefined;
  const load = async (): Promise<KubeConfig> => {
    const { KubeConfig } = await import('@kubernetes/client-node');
    const config = new KubeConfig();
    // JSON is YAML: the kubeconfig of this one context.
    config.loadFromString(
      JSON.stringify({
        clusters: [chosen.cluster],
        users: [chosen.user],
        contexts: [
          {
            name: chosen.name,
            context: { cluster: chosen.cluster.name, user: chosen.user.name },
          },
        ],
        'current-context': chosen.name,
      }),
    );
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
