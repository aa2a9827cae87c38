import type { InventoryNode } from '../inventory/types';
import type { TransportFailure } from '../transport/types';
import type { NodeClockOffset } from '../garp/estimate-offset';
import type { ParsedProbe, ProbeSection } from './parse-probe';
import { L3_CONTAINERS } from './probe-script';
import { classifyArping, parseIproute2Version, parseIptablesVersion, parseKeepalivedVersion, parseTcpdumpVersion, parseWhich } from './classify-tools';
import type { DoctorCheckId, DoctorRow, DoctorStatus } from './types';

/** what the I/O edge (run-doctor.ts) learnt about one node */
export interface NodeObservation {
  node: InventoryNode;
  /** knownHosts: false in the inventory (host keys not checked) */
  hostKeysUnchecked: boolean;
  knownHostsFile?: string;
  /** SSH connection failure; undefined = connected */
  connect?: TransportFailure;
  /** result of `sudo -n true` when the node runs commands through sudo */
  sudo?: { failure?: TransportFailure; exitCode: number | null; stderr: string };
  /** probe output (undefined when the probe did not run); its `whoami` section says whether it ran as root */
  probe?: { parsed: ParsedProbe; failure?: TransportFailure };
  clock?: NodeClockOffset;
  /** neutron state_path the probe looked under */
  statePath: string;
}

/**
 * An offset surely above this many ms (|offset| − uncertainty) is a warning: G-ARP timelines and
 * drills are put on one clock. The uncertainty (half the best round trip) is subtracted because a
 * loaded node answers `date` late in the round trip: on the lab (one clock) +100…350 ms ±105…360 ms
 * were measured under load.
 */
export const CLOCK_WARN_MS = 500;

const SUDOERS_HINT = 'install examples/sudoers.d/haprobe as /etc/sudoers.d/haprobe (for user {user}), then `sudo -n true` as {user}';

/**
 * Pure: one node's observation → its preflight rows, each warn/fail with the fix. Rows a node
 * cannot be judged on (unreachable, not its role) are `skip` with the reason, never `fail`.
 */
export function judgeDoctorNode(o: NodeObservation): DoctorRow[] {
  const n = o.node;
  const rows: DoctorRow[] = [];
  const add = (check: DoctorCheckId, status: DoctorStatus, detail: string, fix?: string): void => {
    rows.push(fix !== undefined && status !== 'ok' && status !== 'skip' ? { node: n.name, check, status, detail, fix } : { node: n.name, check, status, detail });
  };
  const target = `${n.user}@${n.address}${n.port !== 22 ? ` -p ${n.port}` : ''}${n.jump ? ` -J ${n.jump}` : ''}`;
  if (o.connect) {
    add('ssh', 'fail', `${o.connect.reason}: ${o.connect.message}`, sshFix(o, target));
    return rows;
  }
  if (o.hostKeysUnchecked) add('ssh', 'warn', `connected to ${n.address}:${n.port}, host key NOT checked (knownHosts: false)`, 'set knownHosts in the inventory and add the node\'s key: ssh-keyscan, compare the fingerprint, append');
  else add('ssh', 'ok', `connected to ${n.address}:${n.port}${n.jump ? ` via ${n.jump}` : ''}, host key known`);

  const wantsSudo = n.sudo && n.user !== 'root';
  if (n.user === 'root') add('sudo', 'ok', 'login is root: sudo not needed');
  else if (!n.sudo) add('sudo', 'warn', `commands run as ${n.user} without sudo: namespaces, iptables and OVS need root`, 'set sudo: true for this node (and grant it: examples/sudoers.d/haprobe)');
  else if (o.sudo?.failure || (o.sudo && o.sudo.exitCode !== 0)) {
    const why = o.sudo.failure?.message ?? `sudo -n true exited ${String(o.sudo.exitCode)}: ${o.sudo.stderr.trim().split('\n')[0]}`;
    add('sudo', 'fail', why, SUDOERS_HINT.replace(/\{user\}/g, n.user));
  } else add('sudo', 'ok', `sudo -n works for ${n.user}`);

  const p = o.probe;
  if (!p || p.failure) {
    const why = p?.failure ? `probe failed: ${p.failure.reason}: ${p.failure.message}` : 'probe did not run';
    for (const c of ['ip-json', 'iptables', 'ovs', 'tcpdump', 'arping', 'containers', 'keepalived'] as const) add(c, 'skip', why);
  } else {
    judgeTools(o, p.parsed, p.parsed.sections.get('whoami')?.text.trim() === 'root', add);
  }

  if (!o.clock) add('clock', 'skip', 'not measured');
  else if (o.clock.error) add('clock', 'skip', `not measured: ${o.clock.error}`);
  else {
    const off = o.clock.offsetMs;
    const text = `offset ${off >= 0 ? '+' : ''}${Math.round(off)} ms ±${Math.round(o.clock.uncertaintyMs)} ms to this machine`;
    if (Math.abs(off) - o.clock.uncertaintyMs > CLOCK_WARN_MS) add('clock', 'warn', text, 'sync the clocks (chronyc tracking / timedatectl): G-ARP and drill timelines shift by the offset');
    else add('clock', 'ok', text);
  }
  return rows;
}

type Add = (check: DoctorCheckId, status: DoctorStatus, detail: string, fix?: string) => void;

function judgeTools(o: NodeObservation, parsed: ParsedProbe, asRoot: boolean, add: Add): void {
  const n = o.node;
  const s = (k: string): ProbeSection | undefined => parsed.sections.get(k);
  const which = parseWhich(s('which')?.text ?? '');
  const network = n.roles.includes('network');
  const agentNode = network || n.roles.includes('compute');
  const rootNote = asRoot ? '' : ' (probe ran without root)';

  // ip -j: the snapshot reads addresses/routes as JSON; text mode is a fallback with less detail
  const ipv = parseIproute2Version(s('ip-version')?.text ?? '');
  if (!which.has('ip')) add('ip-json', 'fail', 'ip (iproute2) not found', 'install iproute2');
  else if (s('ip-json')?.rc === 0 && s('ip-json')!.text.trimStart().startsWith('[')) add('ip-json', 'ok', `iproute2 ${ipv ?? '?'} answers ip -j`);
  else add('ip-json', 'warn', `iproute2 ${ipv ?? '?'} has no JSON output (ip -j): haprobe falls back to text`, 'upgrade iproute2 to 4.14 or later');

  // iptables-save and which backend it reads; the agent in a container may write with the other one
  const ipt = parseIptablesVersion(s('iptables-version')?.text ?? '');
  const l3 = l3Container(parsed);
  const inner = l3 ? parseIptablesVersion(s(`in:${l3.runtime}:${l3.name}:iptables`)?.text ?? '') : undefined;
  if (!which.has('iptables-save')) {
    add('iptables', agentNode ? 'fail' : 'warn', 'iptables-save not found: NAT and filter rules cannot be read', 'install iptables (the same backend neutron uses: iptables-nft or iptables-legacy)');
  } else if (!ipt) add('iptables', 'warn', `iptables-save at ${which.get('iptables-save')}, backend unknown (iptables -V said ${JSON.stringify(firstLine(s('iptables-version')?.text))})`, 'check `iptables -V`');
  else if (inner && inner.backend !== ipt.backend) {
    add('iptables', 'warn', `host iptables ${ipt.version} (${ipt.backend}), but ${l3!.name} writes with ${inner.backend}: host iptables-save misses the agent's rules`,
      `install the host's iptables-${inner.backend === 'legacy' ? 'legacy' : 'nft'} and switch (update-alternatives --set iptables /usr/sbin/iptables-${inner.backend === 'legacy' ? 'legacy' : 'nft'})`);
  } else add('iptables', 'ok', `iptables-save ${ipt.version} (${ipt.backend})${inner ? `, same backend as ${l3!.name}` : ''}`);

  // OVS: the dataplane of network and compute nodes
  const hasVsctl = which.has('ovs-vsctl');
  const hasOfctl = which.has('ovs-ofctl');
  if (!agentNode) add('ovs', hasVsctl ? 'ok' : 'skip', hasVsctl ? 'ovs-vsctl present' : `not needed on a ${n.roles.join('/')} node`);
  else if (!hasVsctl || !hasOfctl) add('ovs', 'fail', `${[!hasVsctl && 'ovs-vsctl', !hasOfctl && 'ovs-ofctl'].filter(Boolean).join(' and ')} not found`, 'install openvswitch-switch (kolla: the host needs the OVS client tools, or the openvswitch_vswitchd container\'s socket under /run/openvswitch)');
  else if (s('ovs-show')?.rc === 0) add('ovs', 'ok', `ovs-vsctl/ovs-ofctl present, ovsdb answers (${bridgesOf(s('ovs-show')!.text)})`);
  else if (!asRoot) add('ovs', 'skip', `ovs-vsctl present; ovsdb not asked${rootNote}`);
  else add('ovs', 'fail', `ovs-vsctl show failed: ${firstLine(s('ovs-show')?.text)}`, 'is ovsdb-server running and its socket at /run/openvswitch/db.sock?');

  // tcpdump: garp watch/verify capture on the network nodes (and the upstream)
  const tv = parseTcpdumpVersion(s('tcpdump-version')?.text ?? '');
  if (which.has('tcpdump')) add('tcpdump', 'ok', `tcpdump ${tv ?? '?'}`);
  else add('tcpdump', network || n.roles.includes('gateway') ? 'fail' : 'warn', 'tcpdump not found: garp watch/verify cannot capture here', 'install tcpdump (apt-get install tcpdump / dnf install tcpdump)');

  // arping: neutron sends its G-ARPs with iputils' `arping -U/-A -I DEV -c N -w N`
  judgeArping(o, parsed, which, l3, add);

  // containers: where the agents, keepalived and ha_confs really are
  const runtimes = ['docker', 'podman'].filter((r) => which.has(r));
  const seen: string[] = [];
  const silent: string[] = [];
  for (const rt of runtimes) {
    const ps = s(`ps:${rt}`);
    if (!ps || ps.rc !== 0) silent.push(`${rt} CLI present, ${/daemon|connect|socket/i.test(ps?.text ?? '') ? 'daemon not answering' : `ps failed: ${firstLine(ps?.text).slice(0, 60) || 'no output'}`}`);
    else {
      const names = ps.text.split('\n').map((x) => x.trim()).filter((x) => /neutron|openvswitch|ovn|keepalived/.test(x));
      seen.push(`${rt}: ${names.length > 0 ? names.join(', ') : 'no agent container'}`);
    }
  }
  if (runtimes.length === 0) add('containers', 'ok', 'no docker/podman: the agents run on the host');
  else if (seen.length === 0 && !asRoot) add('containers', 'skip', `${silent.join('; ')}${rootNote}`);
  else add('containers', 'ok', [...seen, ...silent].join('; ') + (l3 ? `; L3 agent in ${l3.runtime} container ${l3.name}` : seen.length > 0 ? '' : ': agents not in containers'));

  // keepalived and ha_confs (L3 HA): on the host, or in the L3 agent's container
  judgeKeepalived(o, parsed, which, l3, add);
}

function judgeArping(o: NodeObservation, parsed: ParsedProbe, which: Map<string, string>, l3: { runtime: string; name: string } | undefined, add: Add): void {
  const n = o.node;
  const agentNode = n.roles.includes('network') || n.roles.includes('compute');
  const inContainer = l3 ? parsed.sections.get(`in:${l3.runtime}:${l3.name}:arping`) : undefined;
  const where = inContainer ? `in ${l3!.name}` : 'on the host';
  const text = inContainer?.text ?? (which.has('arping') ? parsed.sections.get('arping')?.text ?? '' : undefined);
  const install = 'install iputils arping: apt-get install iputils-arping (replaces Debian\'s `arping` package) / dnf install iputils';
  if (text === undefined) {
    add('arping', agentNode ? 'fail' : 'skip', agentNode ? 'arping not found: neutron\'s L3 agent cannot send gratuitous ARPs after a failover' : `not needed on a ${n.roles.join('/')} node`, install);
    return;
  }
  const a = classifyArping(text);
  if (a.kind === 'iputils') add('arping', 'ok', `iputils arping ${a.version ?? ''} ${where}`.replace(/ +/g, ' ').trim());
  else if (a.kind === 'habets') {
    add('arping', agentNode ? 'fail' : 'warn', `Thomas Habets' arping ${a.version ?? ''} ${where}: with neutron's \`arping -U -I DEV -c N -w N\` it sends "who-has IP tell <own address>", not a gratuitous ARP`.replace(/ +/g, ' '), install);
  } else add('arping', 'warn', `arping ${where} of unknown kind (arping -V: ${JSON.stringify(firstLine(text))})`, 'neutron needs iputils arping: check `arping -V` prints "iputils"');
}

function judgeKeepalived(o: NodeObservation, parsed: ParsedProbe, which: Map<string, string>, l3: { runtime: string; name: string } | undefined, add: Add): void {
  const n = o.node;
  const s = (k: string): ProbeSection | undefined => parsed.sections.get(k);
  if (!n.roles.includes('network')) {
    add('keepalived', 'skip', `not a network node`);
    return;
  }
  const hostVersion = which.has('keepalived') ? parseKeepalivedVersion(s('keepalived-version')?.text ?? '') : undefined;
  const innerVersion = l3 ? parseKeepalivedVersion(s(`in:${l3.runtime}:${l3.name}:keepalived`)?.text ?? '') : undefined;
  const hostDir = s('ha-confs-dir')?.rc === 0;
  const routers = (s('ha-confs')?.text ?? '').split('\n').filter((l) => /:\d+$/.test(l.trim())).length;
  const innerDir = l3 ? s(`in:${l3.runtime}:${l3.name}:ha-confs`)?.rc === 0 : false;
  const mounts = l3 ? s(`in:${l3.runtime}:${l3.name}:mounts`)?.text ?? '' : '';
  const keepalived = innerVersion ? `keepalived ${innerVersion} in ${l3!.name}` : hostVersion ? `keepalived ${hostVersion}` : 'no keepalived';
  const sp = o.statePath;
  if (hostDir) {
    add('keepalived', 'ok', `${keepalived}; ${sp}/ha_confs on the host, ${routers} router state file(s)`);
    return;
  }
  if (innerDir) {
    const src = hostPathOf(mounts, '/var/lib/neutron');
    add('keepalived', 'warn', `${keepalived}; ha_confs is inside ${l3!.name} (/var/lib/neutron/ha_confs), not at ${sp}/ha_confs on the host`,
      src ? `run with --neutron-state-path ${src} (the container's /var/lib/neutron on the host)` : `the container keeps /var/lib/neutron in its own layer: bind-mount it to the host, then --neutron-state-path HOSTDIR`);
    return;
  }
  if (!hostVersion && !innerVersion) {
    add('keepalived', 'warn', `no keepalived and no ${sp}/ha_confs: L3 HA routers cannot run here`, 'install keepalived where the L3 agent runs (legacy/DVR-only clouds: ignore)');
    return;
  }
  add('keepalived', 'ok', `${keepalived}; no ${sp}/ha_confs yet (no HA router on this node)`);
}

/** the L3 agent container the probe found (first runtime, first name) */
function l3Container(parsed: ParsedProbe): { runtime: string; name: string } | undefined {
  for (const key of parsed.sections.keys()) {
    const m = /^in:(docker|podman):([^:]+):/.exec(key);
    if (m && (L3_CONTAINERS as readonly string[]).includes(m[2])) return { runtime: m[1], name: m[2] };
  }
  return undefined;
}

/** `docker inspect` mounts "SRC:DST …" → host source of `dest` */
function hostPathOf(mounts: string, dest: string): string | undefined {
  for (const m of mounts.split(/\s+/)) {
    const i = m.lastIndexOf(':');
    if (i > 0 && m.slice(i + 1) === dest) return m.slice(0, i);
  }
  return undefined;
}

function bridgesOf(show: string): string {
  const bridges = [...show.matchAll(/^\s*Bridge "?([^"\s]+)"?/gm)].map((m) => m[1]);
  return bridges.length > 0 ? `bridges ${bridges.join(', ')}` : 'no bridge';
}

function firstLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n')[0] ?? '';
}

function sshFix(o: NodeObservation, target: string): string {
  const n = o.node;
  switch (o.connect!.reason) {
    case 'hostkey':
      return `check the key, then: ssh-keyscan -p ${n.port} ${n.address} >> ${o.knownHostsFile ?? '~/.ssh/known_hosts'} (compare the fingerprint with the node's console)`;
    case 'auth':
      return `install your key for ${n.user}: ssh-copy-id ${n.identityFile ? `-i ${n.identityFile} ` : ''}${target}`;
    case 'timeout':
    case 'unreachable':
      return `check address, port and jump host: ssh ${target}`;
    default:
      return `ssh ${target}`;
  }
}
