/**
 * References an operator can open (issue 13). Checks cite their sources by internal ids:
 * `lp#1520517`, `ground-truth §2e/2f`, `known-bugs-and-anchors §12.5`, seed file names. The
 * design notes (ground truth, anchors, seeds) ship with no release of haprobe, so text an
 * operator reads (table, explain, HTML/Markdown reports, docs) shows what they stand on instead:
 * the Launchpad bug, the OpenStack docs page, the neutron/keepalived source file at a tag.
 * This module is the one table from internal id to public link. The run file keeps the internal
 * ids (CheckSummary.references) for traceability; reporters map them here when they render.
 */

export interface PublicLink {
  /** short label: "LP 1520517", "neutron 24.0.0 neutron/agent/linux/keepalived.py" */
  label: string;
  url: string;
}

/** neutron 24.0.0 = 2024.1 Caracal, a release every file below exists in (checked in the opendev tree) */
const NEUTRON_TAG = '24.0.0';
const neutron = (file: string): PublicLink => ({
  label: `neutron ${NEUTRON_TAG} ${file}`,
  url: `https://opendev.org/openstack/neutron/src/tag/${NEUTRON_TAG}/${file}`,
});
const keepalived = (file: string): PublicLink => ({
  label: `keepalived v2.2.8 ${file}`,
  url: `https://github.com/acassen/keepalived/blob/v2.2.8/${file}`,
});
const osDocs = (page: string, title: string): PublicLink => ({
  label: `OpenStack docs: ${title}`,
  url: `https://docs.openstack.org/neutron/latest/admin/${page}.html`,
});

const DOCS_HA_VRRP = osDocs('deploy-ovs-ha-vrrp', 'Open vSwitch: High availability using VRRP');
const DOCS_HA_DVR = osDocs('deploy-ovs-ha-dvr', 'Open vSwitch: High availability using DVR');
const DOCS_SELFSERVICE = osDocs('deploy-ovs-selfservice', 'Open vSwitch: Self-service networks');
const ROUTER_INFO = neutron('neutron/agent/l3/router_info.py');
const HA_ROUTER = neutron('neutron/agent/l3/ha_router.py');
const IP_LIB = neutron('neutron/agent/linux/ip_lib.py');
const KEEPALIVED_PY = neutron('neutron/agent/linux/keepalived.py');
const DVR_FIP_NS = neutron('neutron/agent/l3/dvr_fip_ns.py');
const DVR_LOCAL = neutron('neutron/agent/l3/dvr_local_router.py');
const DVR_EDGE = neutron('neutron/agent/l3/dvr_edge_router.py');
const OVS_AGENT = neutron('neutron/plugins/ml2/drivers/openvswitch/agent/ovs_neutron_agent.py');
/** nova-network was last whole in nova 2014.2 (Juno), the release the nova profiles are written against */
const nova = (file: string): PublicLink => ({
  label: `nova 2014.2 ${file}`,
  url: `https://opendev.org/openstack/nova/src/tag/2014.2/${file}`,
});
const NOVA_LINUX_NET = nova('nova/network/linux_net.py');
/** OVN v23.03.0, the release Debian 12 ships and the lab runs */
const OVN = (file: string): PublicLink => ({
  label: `ovn v23.03.0 ${file}`,
  url: `https://github.com/ovn-org/ovn/blob/v23.03.0/${file}`,
});
const NOVA_MANAGER = nova('nova/network/manager.py');

/**
 * Internal section or seed → what an operator can read instead. An empty list means "a design
 * note with no public counterpart": it is left out of operator text (the run file keeps it).
 * Keys are one section each ("ground-truth §2b"); a reference naming several ("ground-truth §1b,
 * §2b") is split by splitReference.
 */
export const PUBLIC_REFERENCES: Readonly<Record<string, readonly PublicLink[]>> = {
  'ground-truth §0.3': [ROUTER_INFO, neutron('neutron/agent/l3/namespaces.py'), HA_ROUTER, DVR_FIP_NS],
  'ground-truth §0.7': [IP_LIB],
  'ground-truth §1a': [neutron('neutron/agent/l3/namespaces.py'), DOCS_SELFSERVICE],
  'ground-truth §1b': [ROUTER_INFO],
  'ground-truth §1c': [ROUTER_INFO, neutron('neutron/agent/linux/iptables_manager.py')],
  'ground-truth §1e': [IP_LIB],
  'ground-truth §2a': [HA_ROUTER, DOCS_HA_VRRP],
  'ground-truth §2b': [HA_ROUTER, DOCS_HA_VRRP],
  'ground-truth §2c': [ROUTER_INFO],
  'ground-truth §2e/2f': [KEEPALIVED_PY, DOCS_HA_VRRP],
  "ground-truth §2e'": [neutron('neutron/agent/l3/ha.py'), neutron('neutron/agent/l3/keepalived_state_change.py')],
  "ground-truth §2e''": [keepalived('keepalived/vrrp/vrrp_arp.c'), IP_LIB],
  'ground-truth §3a': [neutron('neutron/conf/agent/l3/config.py'), DOCS_HA_DVR],
  'ground-truth §3b': [DVR_LOCAL, DVR_FIP_NS, DOCS_HA_DVR],
  'ground-truth §3c': [DVR_LOCAL, DVR_EDGE],
  'ground-truth §3e': [DVR_FIP_NS, DVR_LOCAL],
  'ground-truth §3 checks 1 and 3': [DVR_FIP_NS],
  'ground-truth §4': [OVS_AGENT],
  'ground-truth §4.1': [OVS_AGENT],
  'ground-truth §4 checks 1': [OVS_AGENT],
  'ground-truth §5': [NOVA_LINUX_NET, NOVA_MANAGER],
  // §5a: multi_host (every compute does its own DHCP/NAT/floating IPs) is decided in the network manager
  'ground-truth §5a': [NOVA_MANAGER, NOVA_LINUX_NET],
  'ground-truth §5e': [NOVA_LINUX_NET],
  // §7 rows are the bug catalogue: a row's public source is its Launchpad bug (row 7: duplicate masters)
  'ground-truth §7 row 7': [{ label: 'LP 1731595', url: 'https://bugs.launchpad.net/bugs/1731595' }],
  'ground-truth §7 row 13': [{ label: 'LP 1859832', url: 'https://bugs.launchpad.net/bugs/1859832' }, { label: 'LP 1952907', url: 'https://bugs.launchpad.net/bugs/1952907' }],
  'ground-truth §7 row 14': [{ label: 'LP 2123911', url: 'https://bugs.launchpad.net/bugs/2123911' }],
  // §8 and the anchors' §8/§12 are consolidated design lists: their public sources are the bugs and files cited beside them
  'ground-truth §8.1': [],
  'ground-truth §8.2': [],
  'ground-truth §8.3': [],
  'ground-truth §8.5': [],
  'known-bugs-and-anchors §8.1': [],
  'known-bugs-and-anchors §12.1': [],
  'known-bugs-and-anchors §12.5': [],
  'known-bugs-and-anchors §12.6': [],
  'known-bugs-and-anchors §12.8': [],
  'known-bugs-and-anchors §12.9': [],
  // "§checks 2" is item 2 of the anchors' list of the ten most important checks (§12.2), a design list like §12.x
  'known-bugs-and-anchors §checks 2 (single-master HA proof: API ha_state + state file + VIPs)': [],
  'DESIGN.md: a node that cannot be reached is a finding with a reason': [],
  'seed 000_323a672a7c9f7b98.txt': [
    { label: 'nova 2014.2 nova/network/linux_net.py (send_arp_for_ha)', url: 'https://opendev.org/openstack/nova/src/tag/2014.2/nova/network/linux_net.py' },
  ],
  // code references as checks declare them (kind 'code'): repository@tag path
  'openstack/nova@2014.2 nova/network/linux_net.py': [NOVA_LINUX_NET],
  // ML2/OVN (issue 11): neutron's OVN driver at 24.0.0 and OVN at v23.03.0 (what Debian 12 ships)
  'ground-truth §6': [neutron('neutron/common/ovn/constants.py'), OVN('controller/ha-chassis.c'), OVN('controller/bfd.c'), osDocs('ovn/routing', 'OVN: Routing')],
  'openstack/neutron neutron/common/ovn/constants.py MAX_GW_CHASSIS': [neutron('neutron/common/ovn/constants.py')],
  'openstack/neutron neutron/plugins/ml2/drivers/ovn/mech_driver/ovsdb/ovn_client.py': [neutron('neutron/plugins/ml2/drivers/ovn/mech_driver/ovsdb/ovn_client.py')],
  'openstack/neutron neutron/agent/ovn/metadata/agent.py': [neutron('neutron/agent/ovn/metadata/agent.py')],
  'ovn-org/ovn controller/ha-chassis.c ha_chassis_group_is_active': [OVN('controller/ha-chassis.c')],
  'ovn-org/ovn controller/bfd.c bfd_calculate_chassis': [OVN('controller/bfd.c')],
  'OVN FDP-1418': [{ label: 'OVN FDP-1418', url: 'https://issues.redhat.com/browse/FDP-1418' }],
  'seed 002_1c6d23d4934ab412.txt': [DOCS_HA_DVR],
  // nova-hw-gateway: the compute admin guide's nova-network HA options (Option 3: HW Gateway)
  'seed 003_8279f87ac232bae0.txt': [{ label: 'openstack-manuals doc/src/docbkx/openstack-compute-admin/computenetworking.xml (Option 3: HW Gateway)', url: 'https://opendev.org/openstack/openstack-manuals' }],
  // nova-multinic-paths cites the same seed by its section title
  'seed 003_8279f87ac232bae0.txt (Option 2: Multi-nic)': [{ label: 'openstack-manuals doc/src/docbkx/openstack-compute-admin/computenetworking.xml (Option 2: Multi-nic)', url: 'https://opendev.org/openstack/openstack-manuals' }],
  // neutron-multinic-aa (issue 9): Deutsche Telekom's Telekom Cloud blog post (10 Jun 2013), the seed's text
  'seed 001_771ab4542b276eab.txt': [{ label: 'Deutsche Telekom (A. Ghevondyan): OpenStack Networking High Availability concept (2013)', url: 'https://telekomcloud.github.io/2013/06/10/openstack-networking-high-availability.html' }],
  'seed 004_e665e055f667cc34.txt': [{ label: 'ZHAW ICCLab: Experience with Neutron HA in OpenStack', url: 'https://blog.zhaw.ch/icclab/experience-with-neutron-ha-in-openstack/' }],
};

/**
 * One reference as the run file stores it ("bug:lp#1520517", "doc:ground-truth §1b, §2b",
 * "seed:002_….txt (title)") or as a check declares it (kind + ref) → the internal ids it names.
 */
export function splitReference(ref: string): string[] {
  const text = ref.replace(/^(bug|doc|seed|code):/, '').trim();
  const seed = /^(\d{3}_[0-9a-f]+\.txt)/.exec(text);
  if (seed) return [`seed ${seed[1]}`];
  const doc = /^(ground-truth|known-bugs-and-anchors) (.+)$/.exec(text);
  if (doc) return doc[2].split(/,\s*/).map((s) => `${doc[1]} ${s.startsWith('§') ? s : `§${s}`}`);
  return [text];
}

/**
 * The public links behind one reference; [] when it is a design note without a public
 * counterpart (or unknown: an unmapped internal id is never shown as if it were a source).
 */
export function publicLinksOf(ref: string): PublicLink[] {
  const out: PublicLink[] = [];
  for (const id of splitReference(ref)) {
    const lp = /^lp#(\d+)$/i.exec(id);
    if (lp) out.push({ label: `LP ${lp[1]}`, url: `https://bugs.launchpad.net/bugs/${lp[1]}` });
    else if (/^rhbz#(\d+)$/i.test(id)) out.push({ label: `RHBZ ${id.slice(5)}`, url: `https://bugzilla.redhat.com/show_bug.cgi?id=${id.slice(5)}` });
    else if (/^https?:\/\/\S+$/.test(id)) out.push({ label: id, url: id });
    else out.push(...(PUBLIC_REFERENCES[id] ?? []));
  }
  return out;
}

/** every public link of a list of references, each URL once, bugs first (what operators look for) */
export function publicLinksOfAll(refs: readonly string[]): PublicLink[] {
  const seen = new Set<string>();
  const links = refs.flatMap(publicLinksOf).filter((l) => (seen.has(l.url) ? false : (seen.add(l.url), true)));
  const isBug = (l: PublicLink): number => (/^(LP|RHBZ) /.test(l.label) ? 0 : 1);
  return links.map((l, i) => ({ l, i })).sort((a, b) => isBug(a.l) - isBug(b.l) || a.i - b.i).map((x) => x.l);
}

/** internal ids a reference names that PUBLIC_REFERENCES does not know (for the registry test) */
export function unmappedIdsOf(ref: string): string[] {
  return splitReference(ref).filter((id) => !/^(lp|rhbz)#\d+$/i.test(id) && !/^https?:\/\//.test(id) && !(id in PUBLIC_REFERENCES));
}
