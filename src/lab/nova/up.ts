import * as fs from 'node:fs';
import * as path from 'node:path';
import { createProgress } from '../../cli/progress';
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
import type { LabUpOptions, LabUpResult } from '../up';
import { prepareDirs, startHolder } from '../up';
import { buildNovaFacts, buildNovaPlan, initialNovaFips, type NovaLabPlan } from './plan';
import { NOVA_MOUNTS, renderNovaInfra, renderNovaNode } from './render';
import { startStandbyPair } from './standby';

/** host dirs the nova nodes bind over (created only when missing, removed at down if empty) */
const NOVA_HOST_MOUNT_POINTS = NOVA_MOUNTS.map((m) => m.target);

export function writeNovaFacts(plan: NovaLabPlan, paths: LabPaths, state: LabState): void {
  fs.writeFileSync(paths.facts, JSON.stringify(buildNovaFacts(plan, state.fips), null, 2) + '\n');
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
        title: 'br100, dnsmasq, nova-network iptables, floating IPs, metadata API, instances',
        task: async () => {
          try {
            // network hosts first: computes' instances need their gateway only at ping time, but keep the order nova has
            await Promise.all(novaNodes.map((n) => nodeScript(holder(n.name), renderNovaNode(plan, n.name, state.fips), `nova data plane of ${n.name}`)));
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
          for (const ip of Object.keys(state.fips)) {
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
