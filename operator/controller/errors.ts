import { isNamespaceGone } from '../kube/errors.js';

/**
 * The namespace is being deleted (or gone): nothing can be created in it, and its objects are
 * about to disappear, so there is nothing to escalate there.
 */
export const namespaceGone = isNamespaceGone;
