import { KubeConfig } from '@kubernetes/client-node';
import type { OutgoingHttpHeaders } from 'node:http';
import type { RequestOptions } from 'node:https';
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
 * A KubeConfig that acts as another identity on every request, as `kubectl --as --as-group`:
 * `Impersonate-User` and one `Impersonate-Group` header per group (client-node knows no groups).
 */
class ImpersonatingKubeConfig extends KubeConfig {
  constructor(
    private readonly user: string | undefined,
    private readonly groups: readonly string[],
  ) {
    super();
  }

  override async applyToHTTPSOptions(options: RequestOptions): Promise<void> {
    await super.applyToHTTPSOptions(options);
    if (this.user === undefined) return;
    // KubeRest always passes headers as an object (never the raw array form).
    const headers = (options.headers ?? {}) as OutgoingHttpHeaders;
    headers['Impersonate-User'] = this.user;
    if (this.groups.length > 0) headers['Impersonate-Group'] = [...this.groups];
    options.headers = headers;
  }
}

/** The kubeconfig `options` name, with its context and impersonation applied. */
export function loadKubeConfig(options: ConnectOptions): KubeConfig {
  const groups = options.asGroups ?? [];
  if (groups.length > 0 && options.as === undefined) {
    throw new CliError('OOS_ERR_USAGE', '--as-group needs --as (as with kubectl)');
  }
  const config = new ImpersonatingKubeConfig(options.as, groups);
  try {
    if (options.kubeconfig === undefined) config.loadFromDefault();
    else config.loadFromFile(options.kubeconfig);
  } catch (error) {
    throw new CliError(
      'OOS_ERR_KUBECONFIG',
      `cannot read the kubeconfig ${options.kubeconfig ?? '(default)'}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (options.context !== undefined) {
    if (config.getContextObject(options.context) === null) {
      throw new CliError(
        'OOS_ERR_KUBECONFIG',
        `the kubeconfig has no context ${JSON.stringify(options.context)} (contexts: ${config.contexts.map((c) => c.name).join(', ') || 'none'})`,
      );
    }
    config.setCurrentContext(options.context);
  }
  if (config.getCurrentCluster() === null) {
    throw new CliError(
      'OOS_ERR_KUBECONFIG',
      'the kubeconfig has no current cluster: pass --kubeconfig or --context',
    );
  }
  return config;
}

/** A REST client on the user's kubeconfig: every request is the user's, so RBAC applies. */
export function connect(options: ConnectOptions): KubeRest {
  return new KubeRest(loadKubeConfig(options));
}
