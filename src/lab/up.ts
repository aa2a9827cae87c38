import * as fs from 'node:fs';
import { createProgress } from '../progress';
import { HaprobeError } from '../errors';
import { renderInventory, renderKnownHosts, writeFacts } from './artifacts';
import { labDown } from './down';
import { garpTargetFor } from './fip';
import { sendGarp, type GarpTarget } from './garp';
import { extraPrimaryOf, haPrimaryOf, readHaStates, sleep, waitFor } from './ha-state';
import { claimOwner } from './owner';
import { labPaths, resolveStateDir } from './paths';
import { buildPlan, initialFips, isCentralizedFip, planOfState } from './plan';
import { collectProcesses } from './processes';
import { FABRIC_NS, MGMT_BRIDGE, mgmtHostLink, nodeNetns, renderHostSetup, renderNodeInfra } from './render-host';
import { fipNs, qrouterNs, snatNs } from './render-node';
import { renderNodeDataplane } from './render-dataplane';
import { hostScript, nodeArgv, nodeScript, runArgv } from './shell';
import { probeSshBanner } from './ssh-probe';
import { readLabState, writeLabState } from './state';
import type { LabPlan, LabState } from './types';
import { isNovaProfile } from './nova/plan';
import { novaLabUp } from './nova/up';
import { renderBalancer, TX_OFF_SCRIPT } from './multinic';
import { waitBackendsUp } from './multinic-wait';
import { quoteWord } from '../transport/quote-shell';
import { prepareDirs, startHolder } from './node-holders';
import type { LabUpOptions, LabUpResult } from './up-options';

/** build the lab; see lab.md. Throws HaprobeError('lab') and tears down on failure. */
export async function labUp(opts: LabUpOptions): Promise<LabUpResult> {
  if (isNovaProfile(opts.profile)) return novaLabUp(opts); // issue 9: nova-network labs (src/lab/nova/)
  const t0 = Date.now();
  const plan = buildPlan(opts.profile, opts);
  const stateDir = resolveStateDir(opts.stateDir);
  const paths = labPaths(stateDir);
  if (process.getuid && process.getuid() !== 0) throw new HaprobeError('lab', 'the lab needs root (network namespaces, OVS, sshd)');
  const existing = readLabState(paths);
  if (existing && existing.phase !== 'down') {
    throw new HaprobeError('lab', `a lab (${existing.profile}, ${existing.phase}) already exists in this state dir`, {
      where: paths.labJson, hint: 'run `haprobe lab down` first',
    });
  }
  claimOwner(stateDir);
  if (fs.existsSync(`/run/netns/${FABRIC_NS}`)) {
    throw new HaprobeError('lab', `namespace ${FABRIC_NS} already exists (another lab?)`, { hint: 'run `haprobe lab down`' });
  }
  fs.mkdirSync(stateDir, { recursive: true });
  const state: LabState = {
    version: 1, profile: plan.profile, computes: plan.nodes.filter((n) => n.kind === 'compute').length, variant: plan.variant, stateDir, phase: 'building', startedAt: new Date().toISOString(),
    hostLinks: [MGMT_BRIDGE, ...plan.nodes.map((n) => mgmtHostLink(n.name))],
    netns: [FABRIC_NS, ...plan.nodes.map((n) => nodeNetns(n.name))],
    createdHostDirs: [], nodes: {}, processes: [], fips: initialFips(plan), faults: [],
  };
  for (const n of plan.nodes) state.nodes[n.name] = { name: n.name, kind: n.kind, mgmtIp: n.mgmtIp, dir: paths.nodeDir(n.name) };
  writeLabState(paths, state);
  const save = (): void => writeLabState(paths, state);
  const holder = (node: string): number => state.nodes[node].holderPid!;
  const routerNodes = plan.nodes.filter((n) => n.kind !== 'gateway');

  const tasks = createProgress<object>(
    [
      { title: 'state dir, keys', task: async () => { await prepareDirs(plan, paths, state); save(); } },
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
        title: 'per node: OVS (netdev datapath) and sshd',
        task: async () => {
          await Promise.all(plan.nodes.map((n) => nodeScript(holder(n.name), renderNodeInfra(n, plan, paths), `infra of ${n.name}`)));
          state.processes = collectProcesses(paths, state);
          save();
        },
      },
      {
        title: 'routers, instances, NAT, keepalived',
        task: async () => {
          try {
            await Promise.all(routerNodes.map((n) =>
              nodeScript(holder(n.name), renderNodeDataplane(plan, n.name, state.fips), `dataplane of ${n.name}`)));
          } finally {
            state.processes = collectProcesses(paths, state);
            save();
          }
        },
      },
      {
        title: 'inventory, known_hosts, G-ARPs for floating IPs, SSH and HA readiness',
        task: async () => {
          fs.writeFileSync(paths.inventory, renderInventory(plan, paths));
          fs.writeFileSync(paths.knownHosts, renderKnownHosts(plan, paths));
          const garps = plan.router.mode === 'ha'
            ? []
            : [...Object.keys(state.fips).filter((ip) => !announcedByKeepalived(plan, state, ip)).map((ip) => garpTargetFor(plan, state, ip)),
                ...gatewayGarpTargets(plan, state)].map((t) => sendGarp(t, plan.rules.agentGarp));
          const ssh = Promise.all(plan.nodes.map(async (n) => {
            const ok = await waitFor(() => probeSshBanner(n.mgmtIp), 15_000, 100);
            if (!ok) throw new HaprobeError('lab', `sshd of ${n.name} (${n.mgmtIp}) does not answer`);
          }));
          const ha = plan.router.haHosts.length === 0 ? Promise.resolve() : (async () => {
            const ok = await waitFor(() => haPrimaryOf(plan, paths) !== undefined && (!plan.extras || extraPrimaryOf(plan, paths) !== undefined), 30_000, 200);
            if (!ok) throw new HaprobeError('lab', `HA router has no single primary: ${JSON.stringify(readHaStates(plan, paths))}`);
          })();
          await Promise.all([...garps, ssh, ha]);
          if (plan.multiNic) await startMultiNicBalancer(plan, holder);
          // keepalived runs its own G-ARP bursts; give the upstream a moment to learn
          if (plan.router.haHosts.length > 0) {
            await sleep(300);
            // a new VRRP primary takes a moment to carry traffic; `up` promises a lab whose FIPs answer
            // (seen: the first ping from the upstream right after `up` was lost now and then)
            const upstream = plan.nodes.find((n) => n.kind === 'gateway');
            for (const ip of Object.keys(state.fips)) {
              const ok = !upstream || (await waitFor(async () => (await runArgv(nodeArgv(holder(upstream.name), ['ping', '-c', '1', '-W', '1', ip]), '', 5_000)).code === 0, 15_000, 200));
              if (!ok) throw new HaprobeError('lab', `floating IP ${ip} does not answer a ping from the upstream after up`);
            }
          }
          writeFacts(plan, paths, state);
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
    profile: plan.profile, release: plan.release, variant: plan.variant, stateDir, inventory: paths.inventory, facts: paths.facts, labJson: paths.labJson,
    nodes: plan.nodes.map((n) => ({ name: n.name, address: n.mgmtIp, roles: n.roles })),
    haPrimary: haPrimaryOf(plan, paths), upMs: Date.now() - t0,
  };
}

/**
 * G-ARPs the agents send when ports get their addresses (ground-truth §0.7 call sites):
 * gateway IP on qg- (legacy qrouter, DVR snat ns), agent gateway IP on each fg-. HA
 * routers: keepalived announces them.
 */
function gatewayGarpTargets(plan: LabPlan, state: LabState): GarpTarget[] {
  const r = plan.router;
  const at = (node: string, namespace: string, device: string, ip: string): GarpTarget =>
    ({ node, holderPid: state.nodes[node].holderPid!, namespace, device, ip });
  const out: GarpTarget[] = [];
  if (r.mode === 'legacy') out.push(at(r.hosts[0], qrouterNs(r.id), r.qg.device, r.qg.ip));
  if (r.mode === 'dvr') out.push(at(r.snatHosts[0], snatNs(r.id), r.qg.device, r.qg.ip));
  for (const [node, fg] of Object.entries(r.fg)) out.push(at(node, fipNs(plan.extNet.id), fg.device, fg.ip));
  return out;
}

/** DVR-HA centralized FIPs are keepalived VIPs of the snat namespace: keepalived announces them */
function announcedByKeepalived(plan: LabPlan, state: LabState, ip: string): boolean {
  const inst = plan.instances.find((i) => i.name === state.fips[ip]);
  return plan.router.mode === 'dvr-ha' && inst !== undefined && isCentralizedFip(plan, inst);
}

/**
 * neutron-multinic-aa: haproxy on the upstream, then wait until its health checks see both FIPs UP
 * (`up` promises a lab whose balancer carries traffic by both paths)
 */
async function startMultiNicBalancer(plan: LabPlan, holder: (node: string) => number): Promise<void> {
  const mn = plan.multiNic!;
  await hostScript(`ip netns exec ${FABRIC_NS} bash -c ${quoteWord(TX_OFF_SCRIPT)}\n`, 'tx offload off in the fabric');
  await Promise.all(plan.nodes.map((n) => nodeScript(holder(n.name), TX_OFF_SCRIPT + '\n', `tx offload off on ${n.name}`)));
  await nodeScript(holder(mn.balancer.node), ['set -e', ...renderBalancer(mn)].join('\n') + '\n', 'haproxy on the upstream');
  await waitBackendsUp(holder(mn.balancer.node));
}

/** the plan of a lab that is up (same profile/computes → same plan) */
export function planOf(state: LabState): LabPlan {
  return planOfState(state);
}

