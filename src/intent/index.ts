export { observeRouters, type ObservedRouter, type ObservedRouterInstance } from './observe-routers';
export { planNamespaces, type NamespaceExpectation, type NamespacePlan } from './expect-namespaces';
