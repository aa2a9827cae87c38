export type { InitDraft, InitSourceKind } from './types';
export { draftFromFile, draftFromText, detectSourceKind, type DraftOptions } from './draft-from-file';
export { draftFromSshConfig, parseRoleOverrides } from './draft-from-ssh-config';
export { renderInventoryYaml, sameNodes } from './render-inventory-yaml';
export { writeInventoryFile } from './write-inventory-file';
export { jumpOfProxyCommand, proxyCommandOfArgs } from './proxy-command';
export { draftFromAgents, type NeutronAgent } from './draft-from-agents';
