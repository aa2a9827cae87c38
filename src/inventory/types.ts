import type { Role } from '../model/types';

/** One node of the inventory file (YAML, see README "Inventory"). */
export interface InventoryNode {
  name: string;
  address: string;
  /** default 22 */
  port: number;
  /** default "root" */
  user: string;
  identityFile?: string;
  roles: Role[];
  /** name of another inventory node (or "user@host:port") used as a bastion */
  jump?: string;
  /** run commands through `sudo -n`; default: true when user is not root */
  sudo: boolean;
}

export interface Inventory {
  /** path the inventory was read from, for error messages */
  source: string;
  /** default known_hosts file; `false` = host keys are not checked (explicit opt-out) */
  knownHosts: string | false;
  nodes: InventoryNode[];
}
