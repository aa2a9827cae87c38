import type { NodeSnapshot } from '../model/types';
import type { NodeFiles } from './read-output-files';
import { SECTION_CATALOGUE as C, sectionKeyOf } from '../collect/catalogue';
import { wasCollected } from '../collect/collected';

/** the sos plugins whose outputs the checks read, and what each gives */
export const SOS_PLUGINS: { plugin: string; gives: string }[] = [
  { plugin: 'networking', gives: 'ip netns, addresses, routes, rules, neighbours and iptables-save per namespace' },
  { plugin: 'openvswitch', gives: 'ovs-vsctl show and ovs-ofctl dump-flows per bridge' },
  { plugin: 'openstack_neutron', gives: 'var/lib/neutron/ha_confs (keepalived.conf and state per HA router)' },
];

/**
 * What a node's files do not contain that the checks read, one line each (pure). The checks
 * already turn an unread section into `skip` with its reason (checks/lib/evidence.ts); these
 * lines tell the operator up front which sos plugin or file to ask for. Only sosreports are
 * judged on whole plugins missing (a folder of pasted outputs is partial by nature).
 */
export function describeMissing(snapshot: NodeSnapshot, files: NodeFiles): string[] {
  const out: string[] = [];
  const isSos = files.used.some((u) => u.includes('sos_commands/')) || files.plugins.length > 0;
  const haNamespaces = snapshot.namespaces.filter((ns) => ns.name.startsWith('qrouter-') && ns.devices.some((d) => d.name.startsWith('ha-')));
  if (isSos) {
    for (const p of SOS_PLUGINS) {
      // neutron's state is only expected where an HA router lives (a compute, an upstream have none)
      if (p.plugin === 'openstack_neutron' && haNamespaces.length === 0) continue;
      if (!files.plugins.includes(p.plugin)) out.push(`sos plugin ${p.plugin} left no output (sos_commands/${p.plugin}/ or its files): no ${p.gives}`);
    }
  }
  // section keys from the catalogue rows; the words are the commands an operator would ask for
  const has = (key: string): boolean => wasCollected(snapshot, key);
  if (!has(sectionKeyOf(C.netns))) out.push('no `ip netns` listing: only namespaces other files name are known');
  for (const [row, what] of [[C.addr, 'ip address'], [C.route, 'ip route'], [C.rule, 'ip rule'], [C.neigh, 'ip neigh']] as const) {
    if (!has(sectionKeyOf(row, ''))) out.push(`no ${what} of the root namespace`);
  }
  for (const ns of snapshot.namespaces) {
    if (!/^(qrouter|snat|fip)-/.test(ns.name)) continue;
    const lacking = ([[C.addr, 'ip address'], [C.route, 'ip route'], [C.rule, 'ip rule'], [C.iptables, 'iptables-save']] as const)
      .filter(([row]) => !has(sectionKeyOf(row, ns.name)) && !(row === C.iptables && ns.name.startsWith('fip-')))
      .map(([, w]) => w);
    if (lacking.length > 0) out.push(`${ns.name}: no ${lacking.join(', ')}`);
  }
  const ovsRead = has(C.ovsShow.evidence);
  if (!ovsRead && files.plugins.includes('openvswitch')) out.push('no ovs-vsctl show');
  if (ovsRead && (snapshot.ovs?.bridges.length ?? 0) > 0 && Object.keys(snapshot.flows).length === 0) out.push('no ovs-ofctl dump-flows of any bridge');
  for (const ns of haNamespaces) {
    const router = ns.name.slice('qrouter-'.length);
    if (!snapshot.haRouters.some((r) => r.routerId === router && r.config)) out.push(`${ns.name} has an ha- port but no ha_confs/${router}/keepalived.conf`);
  }
  return out;
}
