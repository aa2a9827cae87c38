import * as fs from 'node:fs';
import * as path from 'node:path';
import { createProgress } from '../../progress';
import { HaprobeError } from '../../errors';
import { renderInventory, renderKnownHosts } from '../artifacts';
import { labDown } from '../down';
import { waitFor } from '../ha-state';
import { claimOwner, recordHostDir } from '../owner';
import { labPaths, resolveStateDir } from '../paths';
import { collectProcesses } from '../processes';
import { FABRIC_NS, MGMT_BRIDGE, mgmtHostLink, nodeNetns, renderHostSetup } from '../render-host';
import { nodeArgv, nodeScript, runArgv, hostScript } from '../shell';
import { probeSshBanner } from '../ssh-probe';
import { readLabState, writeLabState } from '../state';
import type { LabPaths, LabState } from '../types';
import type { LabUpOptions, LabUpResult } from '../up-options';
import { prepareDirs, startHolder } from '../node-holders';
import { buildNovaFacts, buildNovaPlan, initialNovaFips, NOVA_CONF, type NovaLabPlan } from './plan';
import { NOVA_MOUNTS, renderHwGatewayRouter, renderNovaInfra, renderNovaNode } from './render';
import { buildMultinicFacts, renderMultinicLinks, renderMultinicNode } from './multinic';
import { startStandbyPair } from './standby';
import { buildVlanFacts, renderVlanNode } from './vlan';

/** host dirs the nova nodes bind over (created only when missing, removed at down if empty) */
const NOVA_HOST_MOUNT_POINTS = NOVA_MOUNTS.map((m) => m.target);

export function writeNovaFacts(plan: NovaLabPlan, paths: LabPaths, state: LabState): void {
  const facts = plan.multinic ? buildMultinicFacts(plan, state.fips, state.faults.map((f) => f.name)) : plan.vlan ? buildVlanFacts(plan, state.fips) : buildNovaFacts(plan, state.fips);
  fs.writeFileSync(paths.facts, JSON.stringify(facts, null, 2) + '\n');
}

/** host side of the hardware gateway: a veth from the fabric's data bridge into the upstream node (removed with its namespaces at down) */
export function renderHwGatewayLink(plan: NovaLabPlan): string {
  const node = plan.hwGateway!.node;
  return [
    'set -e',
    `ip link add dt-${node} netns ${FABRIC_NS} type veth peer name ${NOVA_CONF.hwGatewayIf} netns ${nodeNetns(node)}`,
    `ip -n ${FABRIC_NS} link set dt-${node} master data up`,
    '',
  ].join('\n');
}

/** `lab up --profile nova-*`: same lifecycle as the neutron lab (lab.json, holders, down by namespace) */
export async function novaLabUp(opts: LabUpOptions): Promise<LabUpResult> {
  const t0 = Date.now();
  const plan = buildNovaPlan(opts.profile, { computes: opts.computes });
  const stateDir = resolveStateDir(opts.stateDir);
  const paths = labPaths(stateDir);
  if (process.getuid && process.getuid() !== 0) throw new HaprobeError('lab', 'the lab needs root (network namespaces, dnsmasq, sshd)');
  const existing = readLabState(paths);
  if (existing && existing.phase !== 'down') {
    throw new HaprobeError('lab', `a lab (${existing.profile}, ${existing.phase}) already exists in this state dir`, { where: paths.labJson, hint: 'run `haprobe lab down` first' });
  }
  claimOwner(stateDir);
  if (fs.existsSync(`/run/netns/${FABRIC_NS}`)) throw new HaprobeError('lab', `namespace ${FABRIC_NS} already exists (another lab?)`, { hint: 'run `haprobe lab down`' });
  fs.mkdirSync(stateDir, { recursive: true });
  const state: LabState = {
    version: 1, profile: plan.profile, computes: plan.instances.length, variant: {}, stateDir, phase: 'building', startedAt: new Date().toISOString(),
    hostLinks: [MGMT_BRIDGE, ...plan.nodes.map((n) => mgmtHostLink(n.name))],
    netns: [FABRIC_NS, ...plan.nodes.map((n) => nodeNetns(n.name))],
    createdHostDirs: [], nodes: {}, processes: [], fips: initialNovaFips(plan), faults: [],
  };
  for (const n of plan.nodes) state.nodes[n.name] = { name: n.name, kind: n.kind, mgmtIp: n.mgmtIp, dir: paths.nodeDir(n.name) };
  writeLabState(paths, state);
  const save = (): void => writeLabState(paths, state);
  const holder = (node: string): number => state.nodes[node].holderPid!;
  const novaNodes = plan.nodes.filter((n) => n.kind !== 'gateway');

  const tasks = createProgress<object>(
    [
      {
        title: 'state dir, keys, /var/lib/nova and /etc/nova mount points',
        task: async () => {
          for (const d of NOVA_HOST_MOUNT_POINTS) {
            if (!fs.existsSync(d)) {
              fs.mkdirSync(d, { recursive: true });
              state.createdHostDirs.push(d);
              recordHostDir(d);
            }
          }
          await prepareDirs(plan, paths, state);
          for (const n of plan.nodes) for (const m of NOVA_MOUNTS) fs.mkdirSync(path.join(paths.nodeDir(n.name), m.sub), { recursive: true });
          save();
        },
      },
      { title: 'management bridge, fabric, node namespaces', task: async () => { await hostScript(renderHostSetup(plan), 'host setup'); } },
      {
        // nova-multinic: private2's flat_interface (eth2) on its own fabric bridge ("separate ethernet devices", seed 000)
        title: 'multi-NIC: second flat network (eth2 on every nova node)',
        enabled: () => plan.multinic !== undefined,
        task: async () => { await hostScript(renderMultinicLinks(plan), 'multi-NIC links'); },
      },
      {
        title: 'node holders (private mount namespaces)',
        task: async () => {
          await Promise.all(plan.nodes.map(async (n) => {
            state.nodes[n.name].holderPid = await startHolder(n.name, paths.nodeDir(n.name));
            state.nodes[n.name].netnsInode = fs.statSync(`/run/netns/${nodeNetns(n.name)}`).ino;
          }));
          save();
        },
      },
      {
        title: 'per node: eth0/eth1, nova dirs, sshd',
        task: async () => {
          await Promise.all(plan.nodes.map((n) => nodeScript(holder(n.name), renderNovaInfra(n, plan, paths), `infra of ${n.name}`)));
          state.processes = collectProcesses(paths, state);
          save();
        },
      },
      {
        // nova-hw-gateway: the upstream gets a leg on the flat network (the fabric's data bridge) and routes the instances
        title: 'hardware gateway: the upstream on the flat network, forwarding, metadata forward to metadata_host:8775',
        enabled: () => plan.hwGateway !== undefined,
        task: async () => {
          await hostScript(renderHwGatewayLink(plan), 'hardware gateway link');
          await nodeScript(holder(plan.hwGateway!.node), renderHwGatewayRouter(plan), 'hardware gateway router');
        },
      },
      {
        title: 'br100 (nova-vlan: OVS trunk, vlan<N> and br<N>), dnsmasq, nova-network iptables, floating IPs, metadata API, instances',
        task: async () => {
          try {
            // network hosts first: computes' instances need their gateway only at ping time, but keep the order nova has
            const render = (node: string): string =>
              plan.multinic ? renderMultinicNode(plan, node, state.fips)
                : plan.vlan ? renderVlanNode(plan, node, state.fips, paths)
                  : renderNovaNode(plan, node, state.fips);
            await Promise.all(novaNodes.map((n) => nodeScript(holder(n.name), render(n.name), `nova data plane of ${n.name}`)));
          } finally {
            state.processes = collectProcesses(paths, state);
            save();
          }
        },
      },
      {
        title: 'hot standby: keepalived on net1 (takes the network host role), then on net2 (standby)',
        enabled: () => plan.standby,
        task: async () => {
          try {
            await startStandbyPair(plan, state);
          } finally {
            state.processes = collectProcesses(paths, state);
            save();
          }
        },
      },
      {
        title: 'inventory, known_hosts, SSH, floating IPs answer from the upstream',
        task: async () => {
          fs.writeFileSync(paths.inventory, renderInventory(plan, paths));
          fs.writeFileSync(paths.knownHosts, renderKnownHosts(plan, paths));
          await Promise.all(plan.nodes.map(async (n) => {
            const ok = await waitFor(() => probeSshBanner(n.mgmtIp), 15_000, 100);
            if (!ok) throw new HaprobeError('lab', `sshd of ${n.name} (${n.mgmtIp}) does not answer`);
          }));
          if (plan.hwGateway) {
            // the instances' traffic goes through the router, not the network host (which drops it): an
            // instance reaches the upstream's public address and the metadata API through the router
            const ok = await waitFor(async () => (await runArgv(nodeArgv(holder(plan.instances[0]!.host), ['nsenter', `--net=/run/haprobe-vms/${plan.instances[0]!.name}`, 'ping', '-c', '1', '-W', '1', plan.extGw]), '', 5_000)).code === 0, 15_000, 200);
            if (!ok) throw new HaprobeError('lab', `${plan.instances[0]!.name} does not reach ${plan.extGw} through the hardware gateway after up`);
          }
          // a FIP's replies leave the instance by its default route; with a hardware gateway that is the
          // router, not the network host that NATs the FIP (docs/nova-hw-gateway.md): not pinged there
          for (const ip of plan.hwGateway ? [] : Object.keys(state.fips)) {
            const ok = await waitFor(async () => (await runArgv(nodeArgv(holder('upstream'), ['ping', '-c', '1', '-W', '1', ip]), '', 5_000)).code === 0, 15_000, 200);
            if (!ok) throw new HaprobeError('lab', `floating IP ${ip} does not answer a ping from the upstream after up`);
          }
          writeNovaFacts(plan, paths, state);
        },
      },
    ],
    { quiet: opts.renderer === 'silent', exitOnError: true },
  );
  try {
    await tasks.run();
  } catch (err) {
    state.phase = 'failed';
    save();
    if (opts.cleanupOnFailure !== false) await labDown({ stateDir, quiet: true }).catch(() => undefined);
    if (err instanceof HaprobeError) throw err;
    throw new HaprobeError('lab', `lab up failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  state.phase = 'up';
  state.processes = collectProcesses(paths, state);
  save();
  return {
    profile: plan.profile, release: 'juno', variant: {}, stateDir, inventory: paths.inventory, facts: paths.facts, labJson: paths.labJson,
    nodes: plan.nodes.map((n) => ({ name: n.name, address: n.mgmtIp, roles: n.roles })), upMs: Date.now() - t0,
  };
}
