import type { Role } from '../model/types';

/**
 * Which inventory groups give which haprobe role, per deployment tool. A host gets every role of
 * every group it is in (directly or through :children). Group names are compared as written,
 * except TripleO role names, which are matched case-insensitively by prefix (ComputeDVR,
 * ComputeOvsDpdk, NetworkerSriov are custom roles built on Compute/Networker).
 */
export interface RoleGroupTable {
  /** exact group name → role */
  exact: Record<string, Role>;
  /** group name prefixes (lower case) → role */
  prefixes?: Array<[string, Role]>;
}

/** kolla-ansible `multinode`: control/network/compute, and the neutron agent groups */
export const KOLLA_GROUPS: RoleGroupTable = {
  exact: {
    control: 'controller',
    network: 'network',
    'neutron-l3-agent': 'network',
    compute: 'compute',
  },
};

/**
 * openstack-ansible generated inventory: the component groups of the agents (env.d/neutron.yml,
 * env.d/nova.yml), not the *_hosts groups of the operator's openstack_user_config (neutron
 * agents can live on infra hosts). nova_compute hosts that are Ironic computes are left out
 * (no OVS on them; see fromOsaJson).
 */
export const OSA_GROUPS: RoleGroupTable = {
  exact: {
    neutron_server: 'controller',
    neutron_l3_agent: 'network',
    nova_compute: 'compute',
  },
};

/**
 * TripleO (tripleo-ansible-inventory.yaml): the role groups (Controller, Compute*, Networker*)
 * and the service groups of the ML2/OVS agents, which say where the L3 agent really runs
 * (on Controller unless a Networker role is deployed).
 */
export const TRIPLEO_GROUPS: RoleGroupTable = {
  exact: {
    neutron_api: 'controller',
    neutron_l3: 'network',
    nova_compute: 'compute',
  },
  prefixes: [
    ['controller', 'controller'],
    ['networker', 'network'],
    ['compute', 'compute'],
  ],
};

/** the role a group gives under a table, or undefined */
export function roleOfGroup(table: RoleGroupTable, group: string): Role | undefined {
  const exact = table.exact[group];
  if (exact) return exact;
  const lower = group.toLowerCase();
  return table.prefixes?.find(([p]) => lower.startsWith(p))?.[1];
}

/**
 * ~/.ssh/config has no groups: a role is guessed from the alias's words (controller-0, net01,
 * compute-1, cmp3…). The guess is shown in the review and can be overridden with --role.
 */
const NAME_WORDS: Array<[RegExp, Role]> = [
  [/(^|[-_.\d])(controller|control|ctl|ctrl)/i, 'controller'],
  [/(^|[-_.\d])(networker|network|net|neutron)/i, 'network'],
  [/(^|[-_.\d])(compute|novacompute|cmp|hv|hypervisor)/i, 'compute'],
];

export function rolesOfName(name: string): Role[] {
  return NAME_WORDS.filter(([re]) => re.test(name)).map(([, r]) => r);
}
