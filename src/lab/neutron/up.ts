import * as fs from 'node:fs';
import * as path from 'node:path';
import { HaprobeError } from '../../errors';
import { waitFor } from '../ha-state';
import { probeSshBanner } from '../ssh-probe';
import { hostScript, nodeArgv, runArgv } from '../shell';
import { associateFloatingIp, createCloud, isUpdatingRouter, plugInstance, waitPortActive, waitRouterReady } from './build';
import { startControlPlane } from './control';
import { neutronLabDown } from './down';
import { buildNeutronFacts } from './facts';
import { nodeNetnsOf, type NeutronLabPaths } from './names';
import { prepareNodeDirs, startAgent, startNeutronHolder, startNodeInfra } from './nodes';
import { renderNeutronHostSetup } from './render-host';
import { failedLogDirOf, keepFailedLogs } from './keep-logs';
import type { NeutronLabState } from './state';
import { topologyOf } from './topology';
import { isOvnProfile } from './ovn-topology';
import { ovnLabUp } from './ovn-up';
import { beginNeutronUp } from './begin-up';
import { knownHostsOf, openLabApi, renderCloudsYaml, renderNeutronInventory } from './access';
import type { NeutronUpOptions, NeutronUpResult } from './up-options';

export { claimNeutronOwner } from './begin-up';
/** the lab tests, faults.ts and garp's lab adapter take these from up.ts */
export { openLabApi } from './access';
export type { NeutronUpOptions, NeutronUpResult } from './up-options';

/** the last 256 KiB of a file ('' when there is none) */
function tailOf(file: string, bytes = 262_144): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const n = Math.min(size, bytes);
      const buf = Buffer.alloc(n);
      fs.readSync(fd, buf, 0, n, size - n);
      return buf.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

/** keepalived-state-change's `state` file of the router on each node (undefined: not written yet) */
export function readStateFiles(p: NeutronLabPaths, nodes: string[], routerId: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const n of nodes) {
    try {
      out[n] = fs.readFileSync(path.join(p.nodeDir(n), 'neutron', 'ha_confs', routerId, 'state'), 'utf8').trim();
    } catch {
      out[n] = undefined;
    }
  }
  return out;
}

/** what the API says at the failure (best effort, the API may be what failed): the router's agents and ports, all agents */
async function snapshotOfFailure(state: NeutronLabState): Promise<Record<string, string>> {
  const api = await openLabApi();
  const out: Record<string, string> = {};
  const get = async (name: string, pathQ: string): Promise<void> => {
    try {
      out[name] = JSON.stringify(await api.neutronRequest('GET', pathQ), null, 2) + '\n';
    } catch (e) {
      out[name] = `GET ${pathQ} failed: ${e instanceof Error ? e.message : String(e)}\n`;
    }
  };
  await get('api-agents.json', '/agents');
  await get('api-ports.json', '/ports');
  if (state.resources.routerId) await get('api-router-l3-agents.json', `/routers/${state.resources.routerId}/l3-agents`);
  return out;
}

/** `haprobe lab up --engine neutron`: see docs/real-engine.md. Tears down on failure. */
export async function neutronLabUp(opts: NeutronUpOptions): Promise<NeutronUpResult> {
  if (isOvnProfile(opts.profile)) return ovnLabUp(opts);
  const t0 = Date.now();
  const topo = topologyOf(opts.profile);
  const { stateDir, p, state, save, say, timed, holder } = beginNeutronUp({
    stateDir: opts.stateDir, progress: opts.progress, profile: topo.profile, nodes: topo.nodes,
    binaries: ['/usr/bin/neutron-server', '/usr/bin/keystone-manage', '/usr/sbin/mariadbd', '/usr/lib/rabbitmq/bin/rabbitmq-server', '/usr/bin/neutron-l3-agent', '/usr/sbin/ethtool'],
    needs: 'the real engine needs OpenStack Zed',
  });
  const routerNodes = topo.nodes.filter((n) => n.kind !== 'gateway');
  let fip: string | undefined;
  let haPrimary: string | undefined;
  try {
    await timed('host links and node namespaces', async () => {
      await prepareNodeDirs(topo.nodes, p, topo.routerMode);
      await hostScript(renderNeutronHostSetup(topo), 'host setup');
      await Promise.all(topo.nodes.map(async (n) => {
        state.nodes[n.name].holderPid = await startNeutronHolder(n.name, p.nodeDir(n.name));
        state.nodes[n.name].netnsInode = fs.statSync(`/run/netns/${nodeNetnsOf(n.name)}`).ino;
      }));
      save();
    });
    await Promise.all([
      timed('control plane (MariaDB, RabbitMQ, Keystone, neutron-server)', () =>
        startControlPlane(p, topo.routerMode, { started: (c) => { state.control.push(c); save(); }, progress: (m) => say(`  ${m}`) })),
      timed('node OVS (netdev) and sshd', () => Promise.all(topo.nodes.map((n) => startNodeInfra(n, holder(n.name), p)))),
    ]);
    const api = await openLabApi();
    // OVS agent first, registered, then the L3 agent (else the HA port ends binding_failed, issue 16)
    await timed('OVS agents', () => Promise.all(routerNodes.map((n) => startAgent(api, n, holder(n.name), 'ovs'))));
    await timed('L3 agents', () => Promise.all(routerNodes.filter((n) => n.agentMode).map((n) => startAgent(api, n, holder(n.name), 'l3'))));
    const { port } = await timed('networks, router, instance port (API)', () => createCloud(api, topo.routerMode, topo.instanceHost, state.resources, save));
    await timed('instance plugged, port ACTIVE', async () => {
      await plugInstance(holder(topo.instanceHost), port);
      await waitPortActive(api, port.id);
    });
    await timed('floating IP, router ready, FIP answers', async () => {
      const f = await associateFloatingIp(api, state.resources.extNetId!, port.id);
      state.resources.fipId = f.id;
      state.resources.fip = f.ip;
      fip = f.ip;
      save();
      const rid = state.resources.routerId!;
      const { nudges } = await waitRouterReady(api, rid, topo.routerMode, {
        readStateFiles: () => readStateFiles(p, routerNodes.map((n) => n.name), rid),
        agentsBusy: () => routerNodes.some((n) => n.agentMode && isUpdatingRouter(tailOf(path.join(p.nodeDir(n.name), 'log', 'neutron-l3-agent.log')), rid)),
      });
      if (nudges > 0) say(`  the API lagged behind keepalived: ${nudges} router update(s) sent so the agents report their state again`);
      const ok = await waitFor(async () => (await runArgv(nodeArgv(holder('upstream'), ['ping', '-c', '1', '-W', '1', f.ip]), '', 5_000)).code === 0, 300_000, 1000);
      if (!ok) throw new HaprobeError('lab', `floating IP ${f.ip} does not answer a ping from the upstream`);
    });
    await timed('SSH, inventory, facts, clouds.yaml', async () => {
      for (const n of topo.nodes) {
        if (!(await waitFor(() => probeSshBanner(n.mgmtIp), 60_000, 200))) throw new HaprobeError('lab', `sshd of ${n.name} (${n.mgmtIp}) does not answer`);
      }
      fs.writeFileSync(p.inventory, renderNeutronInventory(topo, p));
      fs.writeFileSync(p.knownHosts, knownHostsOf(topo, p));
      fs.writeFileSync(p.cloudsYaml, renderCloudsYaml());
      const facts = await buildNeutronFacts(api, topo, state.resources, p);
      haPrimary = Object.entries(facts.routers[0]?.haState ?? {}).find(([, s]) => s === 'active')?.[0];
      fs.writeFileSync(p.facts, JSON.stringify(facts, null, 2) + '\n');
    });
  } catch (err) {
    state.phase = 'failed';
    save();
    // keep the logs before down removes the state dir (issue 16: a failed dvr-snat-ha up lost them)
    const kept = keepFailedLogs(p, state, failedLogDirOf(new Date()), await snapshotOfFailure(state).catch(() => ({})));
    if (opts.cleanupOnFailure !== false) await neutronLabDown({ stateDir }).catch(() => undefined);
    const where = kept ? ` (logs kept in ${kept})` : '';
    if (err instanceof HaprobeError) throw new HaprobeError(err.code, `${err.message}${where}`, { where: err.where, hint: err.hint, cause: err });
    throw new HaprobeError('lab', `lab up failed: ${err instanceof Error ? err.message : String(err)}${where}`, { cause: err });
  }
  state.phase = 'up';
  save();
  return {
    engine: 'neutron', profile: topo.profile, stateDir, inventory: p.inventory, facts: p.facts, cloudsYaml: p.cloudsYaml, labJson: p.labJson,
    nodes: topo.nodes.map((n) => ({ name: n.name, address: n.mgmtIp, roles: n.roles })), fip, haPrimary, timings: state.timings, upMs: Date.now() - t0,
  };
}
