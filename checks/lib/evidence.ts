/*
 * The checks' evidence lookup. It lives below the engine, beside the section catalogue that names
 * the keys (src/collect/collected.ts), so that engine/detect-deployment.ts can ask "is OVS known
 * absent?" without importing the checks (issue 14); the checks keep importing it from here.
 */
export {
  evidenceFor,
  nsEvidence,
  wasCollected,
  wasNamespaceCollected,
  notCollectedReason,
  wasOvsCollected,
  wereOvsExternalIdsCollected,
  isOvsKnownAbsent,
  partialReason,
  type NamespaceSection,
} from '../../src/collect/collected';
