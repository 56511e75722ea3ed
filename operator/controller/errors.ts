import { KubeApiError } from '../kube/rest.js';

/**
 * The namespace is being deleted (or gone): nothing can be created in it, and its objects are
 * about to disappear, so there is nothing to escalate there.
 */
export function namespaceGone(error: unknown): boolean {
  return (
    error instanceof KubeApiError &&
    ((error.status === 403 && error.message.includes('because it is being terminated')) ||
      (error.status === 404 && error.message.includes('namespaces')))
  );
}
