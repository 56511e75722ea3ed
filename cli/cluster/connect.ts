import type { OutgoingHttpHeaders } from 'node:http';
import type { ApiAccess } from '../../operator/kube/access.js';
import {
  KubeconfigError,
  loadKubeconfig,
  type Kubeconfig,
} from '../../operator/kube/kubeconfig.js';
import { KubeRest } from '../../operator/kube/rest.js';
import { CliError } from '../errors.js';

/** How `oos` reaches the cluster: the user's kubeconfig, as kubectl reads it. */
export interface ConnectOptions {
  /** A kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, as kubectl). */
  readonly kubeconfig?: string;
  /** A context of the kubeconfig (default: its current context). */
  readonly context?: string;
  /** Act as this user (`Impersonate-User`, like `kubectl --as`): RBAC must allow impersonation. */
  readonly as?: string;
  /** Act with these groups (`Impersonate-Group`, like `kubectl --as-group`). Needs `as`. */
  readonly asGroups?: readonly string[];
}

/**
 * Acts as another identity on every request, as `kubectl --as --as-group`: `Impersonate-User`
 * and one `Impersonate-Group` header per group, in place of the kubeconfig user's own `as`.
 */
function impersonating(access: ApiAccess, user: string, groups: readonly string[]): ApiAccess {
  return {
    server: access.server,
    async apply(options) {
      await access.apply(options);
      // ApiAccess always leaves headers as an object (never the raw array form).
      const headers = (options.headers ?? {}) as OutgoingHttpHeaders;
      headers['impersonate-user'] = user;
      if (groups.length > 0) headers['impersonate-group'] = [...groups];
      else delete headers['impersonate-group'];
      options.headers = headers;
    },
  };
}

/** The kubeconfig `options` name, with its context and impersonation applied. */
export function loadKubeConfig(options: ConnectOptions): Kubeconfig {
  const groups = options.asGroups ?? [];
  if (groups.length > 0 && options.as === undefined) {
    throw new CliError('OOS_ERR_USAGE', '--as-group needs --as (as with kubectl)');
  }
  let config: Kubeconfig;
  try {
    config = loadKubeconfig({
      ...(options.kubeconfig === undefined ? {} : { file: options.kubeconfig }),
      ...(options.context === undefined ? {} : { context: options.context }),
    });
  } catch (error) {
    if (error instanceof KubeconfigError) throw new CliError('OOS_ERR_KUBECONFIG', error.message);
    throw error;
  }
  if (options.as === undefined) return config;
  return { ...config, access: impersonating(config.access, options.as, groups) };
}

/** A REST client on the user's kubeconfig: every request is the user's, so RBAC applies. */
export function connect(options: ConnectOptions): KubeRest {
  return new KubeRest(loadKubeConfig(options).access);
}
