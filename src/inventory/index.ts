export type { Inventory, InventoryNode } from './types';
export { loadInventory, parseInventoryYaml, type LoadOptions } from './load-inventory';
export { loadAnsibleInventory } from './load-ansible-inventory';
export { loadInventoryAuto } from './load-inventory-auto';
export { selectNodes, type NodeSelection } from './select-nodes';
export { inventoryDigest } from './inventory-digest';
export { INVENTORY_ROLES } from './roles';
export { parseSshConfig, resolveSshHost, sshConfigResolver, type SshHostConfig } from './ssh-config';
