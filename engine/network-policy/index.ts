export { decideNetworkPolicy, isManagedPolicy, isNetworkPolicyRequest } from './decide.js';
export { namespacePostures } from './closed.js';
