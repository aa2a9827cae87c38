import type { Inventory } from './types';
import { parseAnsibleIni } from './parse-ansible-ini';
import { buildAnsibleInventory, type AnsibleBuildOptions } from './build-ansible-inventory';
import { readInventoryText } from './read-inventory-text';

/** Read an Ansible INI inventory ([network], [compute], [controller] groups) as an Inventory. */
export function loadAnsibleInventory(file: string, opts: AnsibleBuildOptions = {}): Inventory {
  return buildAnsibleInventory(parseAnsibleIni(readInventoryText(file), file), file, opts);
}
