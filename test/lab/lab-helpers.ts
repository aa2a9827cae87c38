import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Facts } from '../../src/model/facts';
import { labDown, labUp, readLabState, labPaths } from '../../src/lab';
import { HOST_DIRS_FILE } from '../../src/lab/owner';
import type { LabUpResult, LabState, LabVariant } from '../../src/lab';
import { loadInventory } from '../../src/inventory';
import { createTransport } from '../../src/transport';
import { useLabSuite, type LabHandle } from '../helpers/lab-suite';

/** Shared plumbing of the @lab suites: one `up` per profile, SSH through haprobe's ssh2 transport, strict teardown. */
export interface LabSession {
  stateDir: string;
  up: LabUpResult;
  facts(): Facts;
  state(): LabState;
  /** node name → management address */
  addr: Record<string, string>;
  ssh(node: string, cmd: string): Promise<{ code: number | null; stdout: string; stderr: string }>;
  sh(node: string, cmd: string): Promise<string>;
}

export function labStateDir(profile: string): string {
  return `/var/tmp/haprobe-labtest-${profile}`;
}

/** whether /var/lib/neutron existed before the suite's `up` (the lab creates it as a mount point) */
let hostDirsBefore: boolean | undefined;

export async function startLab(profile: string, variant: LabVariant = {}): Promise<LabSession> {
  hostDirsBefore = fs.existsSync('/var/lib/neutron');
  const stateDir = labStateDir(profile);
  await labDown({ stateDir }).catch(() => undefined);
  const up = await labUp({ profile, stateDir, renderer: 'silent', ...variant });
  const paths = labPaths(stateDir);
  const addr = Object.fromEntries(up.nodes.map((n) => [n.name, n.address]));
  // haprobe's own ssh2 transport, with the lab's inventory and known_hosts (host keys checked);
  // a fresh connection per command so a node whose sshd was stopped really fails
  const inventory = loadInventory(up.inventory);
  const ssh = async (node: string, cmd: string): Promise<{ code: number | null; stdout: string; stderr: string }> => {
    const n = inventory.nodes.find((x) => x.name === node);
    if (!n) throw new Error(`no lab node ${node}`);
    const t = createTransport(n, inventory, { connectTimeoutMs: 3000 });
    try {
      const r = await t.exec(cmd, { timeoutMs: 30_000 });
      return r.failure ? { code: null, stdout: r.stdout, stderr: `${r.failure.reason}: ${r.failure.message}` } : { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
    } finally {
      await t.close();
    }
  };
  return {
    stateDir, up, addr, ssh,
    facts: () => JSON.parse(fs.readFileSync(paths.facts, 'utf8')) as Facts,
    state: () => readLabState(paths)!,
    async sh(node, cmd) {
      const r = await ssh(node, cmd);
      if (r.code !== 0) throw new Error(`ssh ${node} ${cmd}: exit ${String(r.code)} ${r.stderr}`);
      return r.stdout;
    },
  };
}

function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) [ZX] /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** down, then prove nothing is left: no hp-* netns, no hp-mgmt, no lab pid alive, no state dir */
export async function stopLab(session: LabSession | undefined, profile: string, opts: { dropState?: boolean } = {}): Promise<void> {
  const stateDir = session?.stateDir ?? labStateDir(profile);
  let pids: number[] = [];
  try {
    const st = readLabState(labPaths(stateDir));
    pids = [...(st?.processes.map((p) => p.pid) ?? []), ...Object.values(st?.nodes ?? {}).map((n) => n.holderPid ?? 0)].filter((p) => p > 0);
  } catch {
    /* no state */
  }
  // dropState: prove `down` also works without lab.json (falls back to the hp- prefix and namespace inodes)
  if (opts.dropState) fs.rmSync(labPaths(stateDir).labJson, { force: true });
  await labDown({ stateDir });
  const left = fs.existsSync('/run/netns') ? fs.readdirSync('/run/netns').filter((n) => n.startsWith('hp-')) : [];
  expect(left, 'hp-* namespaces left').to.deep.equal([]);
  expect(fs.existsSync('/sys/class/net/hp-mgmt'), 'hp-mgmt left').to.equal(false);
  expect(fs.existsSync(HOST_DIRS_FILE), 'record of host dirs the lab created left').to.equal(false);
  if (hostDirsBefore !== undefined) expect(fs.existsSync('/var/lib/neutron'), '/var/lib/neutron left behind').to.equal(hostDirsBefore);
  expect(pids.filter(running), 'lab pids alive').to.deep.equal([]);
  expect(fs.existsSync(stateDir), 'state dir left').to.equal(false);
}

/** the suite's lab: startLab in before(), stopLab (with its leak checks) in after(), always */
export function useLab(profile: string, opts: { dropState?: boolean; variant?: LabVariant } = {}): LabHandle<LabSession> {
  return useLabSuite(() => startLab(profile, opts.variant), (s) => stopLab(s, profile, opts), { upMs: 120_000, downMs: 60_000 });
}

/** `ip -j addr` of a namespace on a node, over SSH */
export async function nsAddrs(s: LabSession, node: string, ns: string): Promise<{ ifname: string; address: string; addr_info: { local: string; prefixlen: number }[] }[]> {
  return JSON.parse(await s.sh(node, `ip netns exec ${ns} ip -j addr`));
}

/**
 * Ping from the upstream gateway; the reply TTL (< 64 proves the reply crossed the router, i.e. DNAT
 * to the instance), or undefined. `withinS`: keep trying (one request every 0.3 s) until `count`
 * answers or that many seconds — after a failover
 * whose losing replica sent its G-ARPs last, the switch's FDB points at it until the upstream's
 * neighbour entry is probed again (a few seconds).
 */
export async function pingFromUpstream(s: LabSession, ip: string, count = 2, withinS?: number): Promise<number | undefined> {
  const r = await s.ssh('upstream', withinS === undefined ? `ping -c ${count} -i 0.3 -W 1 ${ip}` : `ping -c ${count} -i 0.3 -w ${withinS} ${ip}`);
  const m = /ttl=(\d+)/.exec(r.stdout);
  return m ? Number(m[1]) : undefined;
}

export async function upstreamNeigh(s: LabSession, ip: string): Promise<string | undefined> {
  const out = await s.sh('upstream', `ip -j neigh show ${ip}`);
  const rows = JSON.parse(out || '[]') as { lladdr?: string }[];
  return rows[0]?.lladdr;
}

export function qrouter(f: Facts): string {
  return `qrouter-${f.routers[0].id}`;
}

export function portBy(f: Facts, owner: string, host?: string) {
  return f.ports.find((p) => p.deviceOwner === owner && (host === undefined || p.host === host))!;
}

export function devName(prefix: string, id: string): string {
  return (prefix + id).slice(0, 14);
}

export { path };

/** the state file word of the primary by release (ground-truth §2e': `master` Kilo–Ussuri, `primary` Victoria+) */
export function primaryWordOf(release: string | undefined): string {
  return release === 'juno' || release === 'mitaka' || release === 'pike' || release === 'train' ? 'master' : 'primary';
}

interface OvsIface {
  name: string;
  ids: Record<string, string>;
}

/** `ovs-vsctl list Interface` (JSON) on a node → name + external_ids */
export async function ovsInterfaces(s: LabSession, node: string): Promise<OvsIface[]> {
  const j = JSON.parse(await s.sh(node, 'ovs-vsctl --format=json --columns=name,external_ids list Interface')) as {
    data: [string, ['map', [string, string][]]][];
  };
  return j.data.map(([name, ids]) => ({ name, ids: Object.fromEntries(ids[1]) }));
}

/**
 * Read every node over SSH the way haprobe will and compare with facts.json:
 * `ip netns`, `ip -j addr` per namespace, `iptables-save`, `ovs-vsctl`, `ovs-ofctl dump-flows br-int`,
 * keepalived state files.
 */
export async function verifyAgainstFacts(s: LabSession): Promise<void> {
  const f = s.facts();
  const r = f.routers[0];
  const rid = r.id;
  const fipNsName = `fip-${r.externalNetworkId}`;
  const nodes = s.up.nodes.filter((n) => !n.roles.includes('gateway')).map((n) => n.name);
  const qr = f.ports.find((p) => p.deviceOwner.startsWith('network:') && p.deviceOwner.includes('interface') && p.deviceOwner !== 'network:router_ha_interface')!;
  const qg = portBy(f, 'network:router_gateway');
  const sg = f.ports.find((p) => p.deviceOwner === 'network:router_centralized_snat');
  const ha = r.haVrId !== undefined;
  const activeHost = ha ? Object.entries(r.haState ?? {}).find(([, st]) => st === 'active')?.[0] : undefined;
  if (ha) expect(activeHost, 'one active HA host in facts').to.be.a('string');
  await Promise.all(nodes.map(async (node) => {
    const netns = (await s.sh(node, 'ip netns')).split('\n').map((l) => l.split(' ')[0]).filter(Boolean);
    const fg = f.ports.find((p) => p.deviceOwner === 'network:floatingip_agent_gateway' && p.host === node);
    const expected = [
      ...(r.hosts.includes(node) ? [`qrouter-${rid}`] : []),
      ...((r.snatHosts ?? []).includes(node) ? [`snat-${rid}`] : []),
      ...(fg ? [fipNsName] : []),
    ];
    expect(netns.sort(), `ip netns on ${node}`).to.deep.equal(expected.sort());
    const ifaces = await ovsInterfaces(s, node);
    const byName = (n: string) => ifaces.find((i) => i.name === n);
    const checkPort = (prefix: string, p: { id: string; mac: string }) => {
      const i = byName(devName(prefix, p.id));
      expect(i, `${node}: OVS port ${devName(prefix, p.id)}`).to.not.equal(undefined);
      expect(i!.ids['iface-id']).to.equal(p.id);
      expect(i!.ids['attached-mac']).to.equal(p.mac);
    };
    if (r.hosts.includes(node)) {
      const addrs = await nsAddrs(s, node, `qrouter-${rid}`);
      const qrDev = addrs.find((a) => a.ifname === devName('qr-', qr.id));
      expect(qrDev, `${node}: qr- device`).to.not.equal(undefined);
      expect(qrDev!.address).to.equal(qr.mac);
      checkPort('qr-', qr);
      const qrIps = qrDev!.addr_info.map((a) => a.local);
      const carriesVips = !ha || r.mode !== 'ha' || node === activeHost;
      if (carriesVips) expect(qrIps, `${node}: qr- address`).to.include(qr.fixedIps[0]);
      else expect(qrIps.filter((ip) => !ip.includes(':')), `${node}: backup qr- has no IPv4`).to.deep.equal([]);
      if (r.mode === 'legacy' || r.mode === 'ha') {
        const qgDev = addrs.find((a) => a.ifname === devName('qg-', qg.id))!;
        expect(qgDev.address).to.equal(qg.mac);
        checkPort('qg-', qg);
        const qgIps = qgDev.addr_info.map((a) => `${a.local}/${a.prefixlen}`);
        if (carriesVips) {
          expect(qgIps).to.include(`${r.gatewayIp}/24`);
          for (const fip of f.floatingIps) expect(qgIps, `${node}: FIP on qg-`).to.include(`${fip.floatingIp}/32`);
        } else {
          expect(qgIps).to.deep.equal([]);
        }
        if (ha) {
          const haPort = f.ports.find((p) => p.deviceOwner === 'network:router_ha_interface' && p.host === node)!;
          const haDev = addrs.find((a) => a.ifname === devName('ha-', haPort.id))!;
          const haIps = haDev.addr_info.map((a) => `${a.local}/${a.prefixlen}`);
          expect(haIps).to.include(`${haPort.fixedIps[0]}/18`);
          expect(haIps.includes(`169.254.0.${r.haVrId}/24`), `${node}: primary VIP`).to.equal(node === activeHost);
          checkPort('ha-', haPort);
        }
      }
      const nat = await s.sh(node, `ip netns exec qrouter-${rid} iptables-save -t nat`);
      expect(nat).to.include('-j REDIRECT --to-ports 9697');
      for (const fip of f.floatingIps) {
        const natHere = r.mode === 'legacy' || r.mode === 'ha' || fip.host === node;
        const rule = r.mode === 'legacy' || r.mode === 'ha'
          ? `-A neutron-l3-agent-PREROUTING -d ${fip.floatingIp}/32 -j DNAT --to-destination ${fip.fixedIp}`
          : `-A neutron-l3-agent-PREROUTING -d ${fip.floatingIp}/32 -i rfp-${rid.slice(0, 10)} -j DNAT --to-destination ${fip.fixedIp}`;
        expect(nat.includes(rule), `${node}: ${rule}`).to.equal(natHere);
      }
    }
    if ((r.snatHosts ?? []).includes(node)) {
      const addrs = await nsAddrs(s, node, `snat-${rid}`);
      const sgDev = addrs.find((a) => a.ifname === devName('sg-', sg!.id))!;
      const qgDev = addrs.find((a) => a.ifname === devName('qg-', qg.id))!;
      expect(sgDev.address).to.equal(sg!.mac);
      expect(qgDev.address).to.equal(qg.mac);
      checkPort('sg-', sg!);
      checkPort('qg-', qg);
      const holds = !ha || node === activeHost;
      expect(sgDev.addr_info.map((a) => a.local).includes(sg!.fixedIps[0]), `${node}: sg- VIP`).to.equal(holds);
      expect(qgDev.addr_info.map((a) => a.local).includes(r.gatewayIp!), `${node}: qg- VIP`).to.equal(holds);
      const nat = await s.sh(node, `ip netns exec snat-${rid} iptables-save -t nat`);
      expect(nat).to.include(`-A neutron-l3-agent-snat -o ${devName('qg-', qg.id)} -j SNAT --to-source ${r.gatewayIp} --random-fully`);
    }
    if (fg) {
      const addrs = await nsAddrs(s, node, fipNsName);
      const fgDev = addrs.find((a) => a.ifname === devName('fg-', fg.id))!;
      expect(fgDev.address).to.equal(fg.mac);
      expect(fgDev.addr_info.map((a) => a.local)).to.include(fg.fixedIps[0]);
      checkPort('fg-', fg);
      expect((await s.sh(node, `ip netns exec ${fipNsName} sysctl -n net.ipv4.conf.${fgDev.ifname}.proxy_arp`)).trim()).to.equal('1');
      const routes = await s.sh(node, `ip netns exec ${fipNsName} ip route`);
      const rules = await s.sh(node, `ip netns exec qrouter-${rid} ip rule`);
      for (const fip of f.floatingIps.filter((x) => x.host === node)) {
        expect(routes).to.match(new RegExp(`^${fip.floatingIp.replace(/\./g, '\\.')} via 169\\.254\\.64\\.2 dev fpr-`, 'm'));
        expect(rules).to.include(`from ${fip.fixedIp} lookup 16`);
      }
    }
    if (ha) {
      if (r.haState && node in r.haState) {
        const st = (await s.sh(node, `cat /var/lib/neutron/ha_confs/${rid}/state`)).trim();
        expect(st, `${node}: keepalived state file`).to.equal(r.haState[node] === 'active' ? primaryWordOf(f.release) : 'backup');
        const conf = await s.sh(node, `cat /var/lib/neutron/ha_confs/${rid}/keepalived.conf`);
        expect(conf).to.include(`virtual_router_id ${r.haVrId}`);
      }
    }
    const instances = f.instances.filter((i) => i.host === node);
    if (instances.length > 0) {
      const flows = await s.sh(node, 'ovs-ofctl dump-flows br-int');
      for (const i of instances) {
        expect(flows).to.match(new RegExp(`table=24,.*priority=2,arp,in_port=\\S+,arp_spa=${i.ip.replace(/\./g, '\\.')} `));
        checkPort('tap', { id: i.portId, mac: i.mac });
      }
      expect(await s.sh(node, 'ovs-vsctl show')).to.include(devName('tap', instances[0].portId));
    }
  }));
}
