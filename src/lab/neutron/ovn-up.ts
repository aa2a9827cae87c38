import * as fs from 'node:fs';
import * as path from 'node:path';
import { HaprobeError } from '../../errors';
import { waitFor } from '../ha-state';
import { probeSshBanner } from '../ssh-probe';
import { hostScript, nodeArgv, nodeScript, runArgv } from '../shell';
import type { NeutronApi } from './api';
import { associateFloatingIp, waitPortActive } from './build';
import { startControlPlane } from './control';
import { neutronLabDown } from './down';
import { nodeNetnsOf } from './names';
import { prepareNodeDirs, startNeutronHolder, startNodeInfra } from './nodes';
import { createOvnCloud, plugOvnInstance, waitChassisRegistered, waitCrLrpBound, waitFipNatRows } from './ovn-build';
import { buildOvnFacts } from './ovn-facts';
import { renderOvnCentralInfra, renderOvnChassisInfra, renderOvnMetadataIni, renderOvnMl2Conf, renderOvnServerConf } from './ovn-render';
import { ovnTopologyOf, type OvnTopology } from './ovn-topology';
import { beginNeutronUp } from './begin-up';
import { renderNeutronHostSetup } from './render-host';
import { knownHostsOf, openLabApi, renderCloudsYaml, renderNeutronInventory } from './access';
import type { NeutronUpOptions, NeutronUpResult } from './up-options';

/** the OVN agents neutron lists from the SB (ovn-controller per chassis, the metadata agent per compute) all alive */
async function waitOvnAgents(api: NeutronApi, topo: OvnTopology, timeoutMs = 300_000): Promise<void> {
  const want = [
    ...topo.chassis.map((c) => [c.name, c.gateway ? 'OVN Controller Gateway agent' : 'OVN Controller agent']),
    ...topo.chassis.filter((c) => !c.gateway).map((c) => [c.name, 'OVN Metadata agent']),
  ];
  let last = '';
  const ok = await waitFor(async () => {
    const { agents } = await api.neutronRequest<{ agents: { host: string; agent_type: string; alive: boolean }[] }>('GET', '/agents').catch(() => ({ agents: [] }));
    last = agents.map((a) => `${a.host}:${a.agent_type}:${a.alive ? 'up' : 'down'}`).join(' ');
    return want.every(([h, t]) => agents.some((a) => a.host === h && a.agent_type === t && a.alive));
  }, timeoutMs, 1000);
  if (!ok) throw new HaprobeError('lab', `OVN agents not all alive in the API after ${timeoutMs / 1000} s: ${last}`);
}

/**
 * Debian 12's neutron (21.0.0, Zed) reads ovn-cms-options from SB Chassis.external_ids only
 * (neutron/common/ovn/utils.py get_ovn_cms_options), but OVN 23.03's ovn-controller writes them to
 * Chassis.other_config: neutron then sees no gateway chassis (every chassis an "OVN Controller
 * agent") and schedules no cr-lrp. Found on this lab (issue 11); the lab copies the option into
 * external_ids as the CMS side would need, and docs/ovn-lab.md says so.
 */
async function markGatewaysForZed(central: number, gateways: string[]): Promise<void> {
  for (const g of gateways) {
    await runArgv(nodeArgv(central, ['ovn-sbctl', 'set', 'Chassis', g, 'external_ids:ovn-cms-options=enable-chassis-as-gw']), '', 30_000).then((r) => {
      if (r.code !== 0) throw new HaprobeError('lab', `ovn-sbctl set Chassis ${g}: ${r.stderr.trim()}`);
    });
  }
}

/** `haprobe lab up --engine neutron --profile ovn|ovn-centralized`: docs/ovn-lab.md. Tears down on failure. */
export async function ovnLabUp(opts: NeutronUpOptions): Promise<NeutronUpResult> {
  const t0 = Date.now();
  const topo = ovnTopologyOf(opts.profile);
  const { stateDir, p, state, save, say, timed, holder } = beginNeutronUp({
    stateDir: opts.stateDir, progress: opts.progress, profile: topo.profile, nodes: topo.nodes,
    binaries: ['/usr/bin/neutron-server', '/usr/bin/keystone-manage', '/usr/sbin/mariadbd', '/usr/bin/ovn-northd', '/usr/bin/ovn-controller', '/usr/bin/neutron-ovn-metadata-agent', '/usr/sbin/ethtool'],
    needs: 'the OVN lab needs OpenStack Zed and OVN',
    extra: { ovn: { instances: {} } },
  });
  const central = (): number => holder(topo.central.name);
  const computes = topo.chassis.filter((c) => !c.gateway);
  const fips: string[] = [];
  try {
    await timed('host links and node namespaces', async () => {
      await prepareNodeDirs(topo.nodes, p, 'legacy');
      for (const c of computes) fs.writeFileSync(path.join(p.nodeDir(c.name), 'etc', 'neutron_ovn_metadata_agent.ini'), renderOvnMetadataIni());
      await hostScript(renderNeutronHostSetup(topo), 'host setup');
      await Promise.all(topo.nodes.map(async (n) => {
        state.nodes[n.name].holderPid = await startNeutronHolder(n.name, p.nodeDir(n.name));
        state.nodes[n.name].netnsInode = fs.statSync(`/run/netns/${nodeNetnsOf(n.name)}`).ino;
      }));
      save();
    });
    await Promise.all([
      timed('control plane (MariaDB, RabbitMQ, Keystone, neutron-server with ML2/OVN)', () =>
        startControlPlane(p, 'legacy', { started: (c) => { state.control.push(c); save(); }, progress: (m) => say(`  ${m}`) },
          { server: renderOvnServerConf(p), ml2: renderOvnMl2Conf(topo.distributedFip) })),
      timed('OVN central, chassis (OVS netdev, ovn-controller, Geneve), sshd', async () => {
        const up = topo.nodes.find((n) => n.name === 'upstream')!;
        await Promise.all([
          startNodeInfra(up, holder(up.name), p),
          nodeScript(central(), renderOvnCentralInfra(topo.central, p.nodeDir(topo.central.name), p.authorizedKeys), 'OVN central', 120_000),
        ]);
        await Promise.all(topo.chassis.map((c) => nodeScript(holder(c.name), renderOvnChassisInfra(c, p.nodeDir(c.name), p.authorizedKeys), `chassis ${c.name}`, 180_000)));
        await waitChassisRegistered(central(), topo.chassis);
        await markGatewaysForZed(central(), topo.chassis.filter((c) => c.gateway).map((c) => c.name));
        await Promise.all(computes.map((c) => nodeScript(holder(c.name),
          'nohup neutron-ovn-metadata-agent --config-file /etc/neutron/neutron.conf --config-file /etc/neutron/neutron_ovn_metadata_agent.ini ' +
          '>/var/log/neutron/ovn-metadata-agent.out 2>&1 </dev/null &\necho $! > /var/lib/neutron/ovn-metadata-agent.pid\n', `metadata agent on ${c.name}`)));
      }),
    ]);
    const api = await openLabApi();
    await timed('OVN agents alive in the API', () => waitOvnAgents(api, topo));
    const cloud = await timed('networks, router, instance ports (API)', () => createOvnCloud(api, topo.instances, (c) => {
      Object.assign(state.resources, { extNetId: c.extNetId ?? state.resources.extNetId, tenantNetId: c.tenantNetId ?? state.resources.tenantNetId,
        tenantSubnetId: c.tenantSubnetId ?? state.resources.tenantSubnetId, routerId: c.routerId ?? state.resources.routerId });
      save();
    }));
    await timed('cr-lrp claimed by a gateway chassis', async () => {
      const b = await waitCrLrpBound(central());
      state.ovn!.crLrp = b.port;
      state.ovn!.crLrpChassis = b.chassis;
    });
    await timed('instances plugged, ports ACTIVE', async () => {
      for (const i of topo.instances) state.ovn!.instances[i.name] = { portId: cloud.ports[i.name].id, host: i.host };
      state.resources.instancePortId = cloud.ports[topo.instances[0].name].id;
      save();
      await Promise.all(topo.instances.map((i) => plugOvnInstance(holder(i.host), i.name, cloud.ports[i.name])));
      await Promise.all(topo.instances.map((i) => waitPortActive(api, cloud.ports[i.name].id)));
    });
    await timed('floating IPs, NAT rows, FIPs answer from the upstream', async () => {
      for (const i of topo.instances.filter((x) => x.fip)) {
        const f = await associateFloatingIp(api, cloud.extNetId, cloud.ports[i.name].id);
        Object.assign(state.ovn!.instances[i.name], { fipId: f.id, fip: f.ip });
        if (!state.resources.fip) Object.assign(state.resources, { fipId: f.id, fip: f.ip });
        fips.push(f.ip);
        save();
      }
      await waitFipNatRows(central(), fips, topo.distributedFip);
      for (const f of fips) {
        const ok = await waitFor(async () => (await runArgv(nodeArgv(holder('upstream'), ['ping', '-c', '1', '-W', '1', f]), '', 5_000)).code === 0, 300_000, 1000);
        if (!ok) throw new HaprobeError('lab', `floating IP ${f} does not answer a ping from the upstream`);
      }
    });
    await timed('SSH, inventory, facts, clouds.yaml', async () => {
      for (const n of topo.nodes) {
        if (!(await waitFor(() => probeSshBanner(n.mgmtIp), 60_000, 200))) throw new HaprobeError('lab', `sshd of ${n.name} (${n.mgmtIp}) does not answer`);
      }
      fs.writeFileSync(p.inventory, renderNeutronInventory(topo, p));
      fs.writeFileSync(p.knownHosts, knownHostsOf(topo, p));
      fs.writeFileSync(p.cloudsYaml, renderCloudsYaml());
      fs.writeFileSync(p.facts, JSON.stringify(await buildOvnFacts(api, topo, state), null, 2) + '\n');
    });
  } catch (err) {
    state.phase = 'failed';
    save();
    if (opts.cleanupOnFailure !== false) {
      // keep the logs of a failed up (COMMON rule): control-plane and per-node logs beside the state dir
      await runArgv(['sh', '-c', 'd="$1.failed-logs"; rm -rf "$d"; mkdir -p "$d" && cp -a "$1/control/log" "$d/control" 2>/dev/null; ' +
        'for n in "$1"/nodes/*; do cp -a "$n/log" "$d/$(basename "$n")" 2>/dev/null; done; true', 'sh', p.stateDir], '', 60_000).catch(() => undefined);
      await neutronLabDown({ stateDir }).catch(() => undefined);
    }
    if (err instanceof HaprobeError) throw err;
    throw new HaprobeError('lab', `lab up failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  state.phase = 'up';
  save();
  return {
    engine: 'neutron', profile: topo.profile, stateDir, inventory: p.inventory, facts: p.facts, cloudsYaml: p.cloudsYaml, labJson: p.labJson,
    nodes: topo.nodes.map((n) => ({ name: n.name, address: n.mgmtIp, roles: n.roles })), fip: fips[0], haPrimary: state.ovn?.crLrpChassis,
    timings: state.timings, upMs: Date.now() - t0,
  };
}
