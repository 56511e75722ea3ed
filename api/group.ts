/** The API group of every oos kind. */
export const GROUP = 'oos.dev';

/** The one served and stored version. */
export const VERSION = 'v1alpha1';

/** `apiVersion` of every oos object. */
export const API_VERSION = `${GROUP}/${VERSION}` as const;

/** The category of every oos kind: `kubectl get oos` lists them all. */
export const CATEGORY = 'oos';
