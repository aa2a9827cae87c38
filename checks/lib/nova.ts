import type { CheckContext, CheckReference } from '../../src/engine/types';
import type { FactsNova, FactsNovaNetwork } from '../../src/model/facts-nova';
import type { DnsmasqProcess, NovaOptsFile } from '../../src/model/nova-types';
import type { CloudSnapshot } from '../../src/engine/types';
import type { NodeSnapshot } from '../../src/model/types';
import { wasNamespaceCollected } from './evidence';
import { findDevice, findNamespace, findNode } from './lookup';
import { ipv4Addresses } from './net';

/**
 * nova-network helpers (issue 9, ground-truth §5). One home for nova.conf defaults and for
 * what each host is expected to serve. Source: nova/network/linux_net.py and manager.py at
 * tag 2014.2 (Juno); the same templates hold from Essex (2012.1) to Mitaka.
 */
export const NOVA_CODE: CheckReference = { kind: 'code', ref: 'openstack/nova@2014.2 nova/network/linux_net.py' };
export const NOVA_GROUND_TRUTH: CheckReference = { kind: 'doc', ref: 'ground-truth §5' };
export const NOVA_SEED: CheckReference = { kind: 'seed', ref: '000_323a672a7c9f7b98.txt (nova-network HA options, Vish Ishaya)' };

/** nova.conf defaults (Juno) */
export const NOVA_DEFAULTS = { publicInterface: 'eth0', metadataPort: 8775, sendArpForHaCount: 3 } as const;

/**
 * The nova facts the checks judge. With a hot standby pair (facts.nova.standby) the facts name
 * one host for the role (the DB keeps one); the checks must judge the member that holds it now:
 * when exactly one member holds a dhcp_server of the pair's networks, every `host` of the pair
 * in networks/floatingIps becomes that member and networkHosts keeps it alone (the passive one
 * is judged by nova-hot-standby). Otherwise (none, both, not read) the facts stay as they are.
 */
export function novaOf(ctx: CheckContext): FactsNova | undefined {
  const nova = ctx.facts?.nova;
  if (!nova?.standby) return nova;
  const { active } = standbyActivity(nova, ctx.snapshot);
  if (active.length !== 1) return nova;
  const pair = new Set(nova.standby.hosts);
  const onto = (h: string | undefined): string | undefined => (h !== undefined && pair.has(h) ? active[0] : h);
  return {
    ...nova,
    networkHosts: [...new Set(nova.networkHosts.map((h) => onto(h)!))],
    networks: nova.networks.map((n) => (n.host !== undefined ? { ...n, host: onto(n.host) } : n)),
    floatingIps: nova.floatingIps?.map((f) => ({ ...f, host: onto(f.host)! })),
  };
}

/** the single-host networks a standby pair serves (host in the pair, or no host given) */
export function standbyNetworks(nova: FactsNova): FactsNovaNetwork[] {
  const pair = new Set(nova.standby?.hosts ?? []);
  return nova.networks.filter((n) => !n.multiHost && (n.host === undefined || pair.has(n.host)));
}

/** per pair member: read (root addresses collected) and active (a pair network's dhcp_server on its bridge) */
export function standbyActivity(nova: FactsNova, snapshot: CloudSnapshot): { active: string[]; passive: string[]; unread: string[] } {
  const out = { active: [] as string[], passive: [] as string[], unread: [] as string[] };
  const nets = standbyNetworks(nova);
  for (const host of nova.standby?.hosts ?? []) {
    const node = findNode(snapshot, host);
    const root = findNamespace(node, '');
    if (!node || !root || !wasNamespaceCollected(node, '', 'addr')) {
      out.unread.push(host);
      continue;
    }
    const holds = nets.some((n) => {
      const dhcp = n.dhcpServer ?? n.gateway;
      return dhcp !== undefined && ipv4Addresses(findDevice(root, n.bridge)).some((a) => a.address === dhcp);
    });
    (holds ? out.active : out.passive).push(host);
  }
  return out;
}

export function publicInterfaceOf(nova: FactsNova): string {
  return nova.publicInterface ?? NOVA_DEFAULTS.publicInterface;
}

export function metadataPortOf(nova: FactsNova): number {
  return nova.metadataPort ?? NOVA_DEFAULTS.metadataPort;
}

/** metadata_host of one host: the configured one, else that host's my_ip (the default); undefined = unknown */
export function metadataHostOf(nova: FactsNova, host: string): string | undefined {
  return nova.metadataHost ?? nova.myIps?.[host];
}

/** one host's duty for one network: its dhcp_server and the gateway its dnsmasq hands out */
export interface NovaDuty {
  host: string;
  network: FactsNovaNetwork;
  dhcpServer: string;
  /** option 3 value: the network gateway, or this host's dhcp_server (multi_host without share_address) */
  gateway: string | undefined;
}

/**
 * Who serves DHCP for each network: a single-host network's `host` (else the only nova-network
 * host), or with multi_host every host with a reserved dhcp_server fixed IP (_get_dhcp_ip).
 */
export function novaDuties(nova: FactsNova): NovaDuty[] {
  const out: NovaDuty[] = [];
  for (const net of nova.networks) {
    if (!net.multiHost) {
      const host = net.host ?? (nova.networkHosts.length === 1 ? nova.networkHosts[0] : undefined);
      const dhcp = net.dhcpServer ?? net.gateway;
      if (host && dhcp) out.push({ host, network: net, dhcpServer: dhcp, gateway: net.gateway });
      continue;
    }
    for (const d of nova.dhcpServers ?? []) {
      if (d.network !== net.label) continue;
      out.push({ host: d.host, network: net, dhcpServer: d.address, gateway: net.shareAddress ? net.gateway : d.address });
    }
  }
  return out;
}

/** value of `--flag=value` or `--flag value` in an argv */
export function argValue(argv: string[], flag: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
    if (a === flag) return argv[i + 1];
  }
  return undefined;
}

/** the dnsmasq processes nova started for `bridge` (its opts file is nova-<bridge>.opts), or listening on `address` */
export function dnsmasqFor(node: NodeSnapshot, bridge: string, address: string): DnsmasqProcess[] {
  return (node.nova?.dnsmasq ?? []).filter((p) => {
    const opts = argValue(p.argv, '--dhcp-optsfile');
    return (opts !== undefined && opts.endsWith(`/nova-${bridge}.opts`)) || argValue(p.argv, '--listen-address') === address;
  });
}

export function optsFileFor(node: NodeSnapshot, bridge: string, path?: string): NovaOptsFile | undefined {
  const files = node.nova?.optsFiles ?? [];
  return files.find((f) => f.path === path) ?? files.find((f) => f.path.endsWith(`/nova-${bridge}.opts`));
}

/**
 * The gateway options of an opts file: `[NW-<vif>,]3[,<gw>]` (get_dhcp_opts / _host_dhcp_opts),
 * also dnsmasq's `option:router` and `tag:` spellings. value undefined = `3` with no gateway
 * (use_single_default_gateway for a non-default NIC).
 */
export function gatewayOptions(file: NovaOptsFile): { line: string; tagged: boolean; value: string | undefined }[] {
  const out: { line: string; tagged: boolean; value: string | undefined }[] = [];
  for (const line of file.lines) {
    const parts = line.split(',').map((p) => p.trim());
    let i = 0;
    let tagged = false;
    while (i < parts.length && (/^NW-/.test(parts[i]!) || /^(tag|net):/.test(parts[i]!))) {
      tagged = true;
      i++;
    }
    const code = parts[i];
    if (code !== '3' && code !== 'option:router') continue;
    out.push({ line, tagged, value: parts[i + 1] || undefined });
  }
  return out;
}
