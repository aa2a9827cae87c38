import * as fs from 'node:fs';
import * as path from 'node:path';
import { HaprobeError } from '../errors';
import { writeFacts } from './artifacts';
import { sendGarp, type GarpRecord, type GarpTarget } from './garp';
import { haPrimaryOf } from './ha-state';
import { labPaths, resolveStateDir } from './paths';
import { isCentralizedFip, planOfState } from './plan';
import { readNodePid } from './processes';
import {
  dvrQrouterIptables, fipNs, keepalivedConfFor, qrouterIptables, qrouterNs, renderDvrFipAdd, renderDvrFipDel, snatIptables, snatNs,
} from './render-node';
import { nodeScript } from './shell';
import { requireLabUp, writeLabState } from './state';
import type { LabPlan, LabState } from './types';

export interface FipOptions {
  stateDir?: string;
  fip: string;
  /** instance name (vm1…) to associate with; default: the pool's owner of this FIP */
  instance?: string;
  /** associate without any G-ARP (missing-garp fault) */
  noGarp?: boolean;
  /** announce with `arping -I dev -s <gw ip> -c 3 FIP` (wrong-sender-garp fault) */
  wrongSender?: boolean;
}

/** what an association/disassociation did, with timestamps (epoch ms), for G-ARP verification */
export interface FipRecord {
  action: 'associate' | 'disassociate';
  fip: string;
  fixedIp: string;
  instance: string;
  /** node whose data plane carries the FIP (legacy router node, HA primary, DVR instance host) */
  node: string;
  namespace: string;
  device: string;
  /** MAC that must own the FIP upstream afterwards (qg- MAC, DVR: fg- MAC of the host) */
  expectedMac: string;
  natAppliedAtMs: number;
  addressAppliedAtMs: number;
  garp?: GarpRecord;
  /** HA: keepalived was sent SIGHUP at this time (it G-ARPs itself) */
  keepalivedReloadAtMs?: number;
}

/** where the FIP is announced from: legacy qg- in qrouter, DVR fg- in the fip ns of the instance's host */
export function garpTargetFor(plan: LabPlan, state: LabState, fip: string): GarpTarget {
  const r = plan.router;
  const owner = state.fips[fip] ?? plan.fipPool.find((f) => f.ip === fip)?.instance;
  const inst = plan.instances.find((i) => i.name === owner);
  if (!inst) throw new HaprobeError('lab', `floating IP ${fip} has no instance`);
  if (isCentralizedFip(plan, inst)) {
    // centralized FIP: snat-<router>/qg- on the snat host (DVR-HA: the primary), ground-truth §3e
    const node = r.mode === 'dvr-ha' ? (haPrimaryOf(plan, labPaths(state.stateDir)) ?? r.snatHosts[0]) : r.snatHosts[0];
    return { node, holderPid: state.nodes[node].holderPid!, namespace: snatNs(r.id), device: r.qg.device, ip: fip };
  }
  if (r.mode === 'dvr' || r.mode === 'dvr-ha') {
    const node = inst.host;
    return { node, holderPid: state.nodes[node].holderPid!, namespace: fipNs(plan.extNet.id), device: r.fg[node].device, ip: fip };
  }
  const node = r.mode === 'ha' ? (haPrimaryOf(plan, labPaths(state.stateDir)) ?? r.haHosts[0]) : r.hosts[0];
  return { node, holderPid: state.nodes[node].holderPid!, namespace: qrouterNs(r.id), device: r.qg.device, ip: fip };
}

function expectedMacFor(plan: LabPlan, node: string, centralized: boolean): string {
  const r = plan.router;
  return (r.mode === 'dvr' || r.mode === 'dvr-ha') && !centralized ? r.fg[node].mac : r.qg.mac;
}

function restore(ns: string, text: string): string {
  return `ip netns exec ${ns} iptables-restore <<'HAPROBE_EOF'\n${text}HAPROBE_EOF\n`;
}

/** rewrite keepalived.conf on every HA host; SIGHUP the ones in `hup` */
async function reloadKeepalived(plan: LabPlan, state: LabState, fips: Record<string, string>, hup: boolean): Promise<number> {
  const r = plan.router;
  const paths = labPaths(state.stateDir);
  await Promise.all(r.haHosts.map((h) => {
    fs.writeFileSync(path.join(paths.nodeDir(h), 'neutron', 'ha_confs', r.id, 'keepalived.conf'), keepalivedConfFor(plan, h, fips));
    const text = r.mode === 'ha' ? restore(qrouterNs(r.id), qrouterIptables(plan, fips)) : restore(snatNs(r.id), snatIptables(plan, fips));
    return nodeScript(state.nodes[h].holderPid!, text, `iptables on ${h}`);
  }));
  const at = Date.now();
  if (hup) {
    for (const h of r.haHosts) {
      const pid = readNodePid(path.join(paths.nodeDir(h), 'neutron', 'ha_confs', `${r.id}.pid.keepalived`), state.nodes[h].holderPid);
      if (pid) process.kill(pid, 'SIGHUP');
    }
  }
  return at;
}

/**
 * Associate a FIP as the L3 agent does: NAT rules first, then the address (legacy: /32 on qg-;
 * DVR: rule + fip-ns route), then G-ARPs (ground-truth §1e, §3e). HA: FIP becomes an excluded
 * VIP and keepalived gets SIGHUP (it G-ARPs); with noGarp/wrongSender the address is added by
 * hand without a reload (keepalived < 1.2.20 behaviour, bug 1639315).
 */
export async function associateFip(opts: FipOptions): Promise<FipRecord> {
  const paths = labPaths(resolveStateDir(opts.stateDir));
  const state = requireLabUp(paths);
  const plan = planOfState(state);
  const pool = plan.fipPool.find((f) => f.ip === opts.fip);
  if (!pool) throw new HaprobeError('usage', `${opts.fip} is not a lab floating IP`, { hint: plan.fipPool.map((f) => f.ip).join(', ') });
  if (state.fips[opts.fip]) throw new HaprobeError('usage', `${opts.fip} is already associated with ${state.fips[opts.fip]}`);
  const instName = opts.instance ?? pool.instance;
  const inst = plan.instances.find((i) => i.name === instName);
  if (!inst) throw new HaprobeError('usage', `unknown instance ${instName}`);
  const taken = Object.entries(state.fips).find(([, i]) => i === instName);
  if (taken) throw new HaprobeError('usage', `${instName} already has floating IP ${taken[0]}`);
  const r = plan.router;
  const fips = { ...state.fips, [opts.fip]: instName };
  const target = garpTargetFor(plan, { ...state, fips }, opts.fip);
  const holder = state.nodes[target.node].holderPid!;
  const rec: FipRecord = {
    action: 'associate', fip: opts.fip, fixedIp: inst.port.ip, instance: instName, node: target.node, namespace: target.namespace,
    device: target.device, expectedMac: expectedMacFor(plan, target.node, isCentralizedFip(plan, inst)), natAppliedAtMs: 0, addressAppliedAtMs: 0,
  };
  const quiet = opts.noGarp === true || opts.wrongSender === true;
  const centralized = isCentralizedFip(plan, inst);
  const viaKeepalived = r.mode === 'ha' || (r.mode === 'dvr-ha' && centralized);
  if (centralized && r.mode === 'dvr') {
    await nodeScript(holder, restore(target.namespace, snatIptables(plan, fips)), 'NAT rules');
    rec.natAppliedAtMs = Date.now();
    await nodeScript(holder, `ip -n ${target.namespace} addr add ${opts.fip}/32 dev ${r.qg.device}\n`, 'FIP address');
    rec.addressAppliedAtMs = Date.now();
  } else if (centralized) {
    const at = await reloadKeepalived(plan, state, fips, !quiet);
    rec.natAppliedAtMs = at;
    if (quiet) await nodeScript(holder, `ip -n ${target.namespace} addr add ${opts.fip}/32 dev ${r.qg.device}\n`, 'FIP address');
    else rec.keepalivedReloadAtMs = at;
    rec.addressAppliedAtMs = Date.now();
  } else if (r.mode === 'legacy') {
    await nodeScript(holder, restore(target.namespace, qrouterIptables(plan, fips)), 'NAT rules');
    rec.natAppliedAtMs = Date.now();
    await nodeScript(holder, `ip -n ${target.namespace} addr add ${opts.fip}/32 dev ${r.qg.device}\n`, 'FIP address');
    rec.addressAppliedAtMs = Date.now();
  } else if (r.mode === 'ha') {
    const at = await reloadKeepalived(plan, state, fips, !quiet);
    rec.natAppliedAtMs = at;
    if (quiet) await nodeScript(holder, `ip -n ${target.namespace} addr add ${opts.fip}/32 dev ${r.qg.device}\n`, 'FIP address');
    else rec.keepalivedReloadAtMs = at;
    rec.addressAppliedAtMs = Date.now();
  } else {
    const qns = qrouterNs(r.id);
    await nodeScript(holder, restore(qns, dvrQrouterIptables(plan, inst.host, fips)), 'NAT rules');
    rec.natAppliedAtMs = Date.now();
    await nodeScript(holder, renderDvrFipAdd(plan, opts.fip, inst.port.ip).join('\n') + '\n', 'FIP routes');
    rec.addressAppliedAtMs = Date.now();
  }
  state.fips = fips;
  writeLabState(paths, state);
  writeFacts(plan, paths, state);
  if (opts.wrongSender) {
    const sender = (r.mode === 'dvr' || r.mode === 'dvr-ha') && !centralized ? r.fg[target.node].ip : r.qg.ip;
    rec.garp = await sendGarp({ ...target, holderPid: holder }, 'wrong-sender', sender);
  } else if (opts.noGarp) {
    rec.garp = await sendGarp({ ...target, holderPid: holder }, 'none');
  } else if (!viaKeepalived) {
    rec.garp = await sendGarp({ ...target, holderPid: holder }, plan.rules.agentGarp);
  }
  return rec;
}

/** remove a FIP: address/routes first, then NAT rules (router_info.process_floating_ip_addresses) */
export async function disassociateFip(opts: { stateDir?: string; fip: string }): Promise<FipRecord> {
  const paths = labPaths(resolveStateDir(opts.stateDir));
  const state = requireLabUp(paths);
  const plan = planOfState(state);
  const instName = state.fips[opts.fip];
  if (!instName) throw new HaprobeError('usage', `${opts.fip} is not associated`);
  const inst = plan.instances.find((i) => i.name === instName)!;
  const r = plan.router;
  const target = garpTargetFor(plan, state, opts.fip);
  const holder = state.nodes[target.node].holderPid!;
  const fips = { ...state.fips };
  delete fips[opts.fip];
  const rec: FipRecord = {
    action: 'disassociate', fip: opts.fip, fixedIp: inst.port.ip, instance: instName, node: target.node, namespace: target.namespace,
    device: target.device, expectedMac: expectedMacFor(plan, target.node, isCentralizedFip(plan, inst)), natAppliedAtMs: 0, addressAppliedAtMs: 0,
  };
  const centralized = isCentralizedFip(plan, inst);
  if (centralized && r.mode === 'dvr') {
    await nodeScript(holder, `ip -n ${target.namespace} addr del ${opts.fip}/32 dev ${r.qg.device} || true\n`, 'FIP address');
    rec.addressAppliedAtMs = Date.now();
    await nodeScript(holder, restore(target.namespace, snatIptables(plan, fips)), 'NAT rules');
    rec.natAppliedAtMs = Date.now();
  } else if (centralized) {
    rec.keepalivedReloadAtMs = await reloadKeepalived(plan, state, fips, true);
    await nodeScript(holder, `ip -n ${target.namespace} addr del ${opts.fip}/32 dev ${r.qg.device} 2>/dev/null || true\n`, 'FIP address');
    rec.addressAppliedAtMs = rec.natAppliedAtMs = Date.now();
  } else if (r.mode === 'legacy') {
    await nodeScript(holder, `ip -n ${target.namespace} addr del ${opts.fip}/32 dev ${r.qg.device} || true\n`, 'FIP address');
    rec.addressAppliedAtMs = Date.now();
    await nodeScript(holder, restore(target.namespace, qrouterIptables(plan, fips)), 'NAT rules');
    rec.natAppliedAtMs = Date.now();
  } else if (r.mode === 'ha') {
    // keepalived removes the VIP on reload; a hand-added address (quiet associate) is removed too
    rec.keepalivedReloadAtMs = await reloadKeepalived(plan, state, fips, true);
    await nodeScript(holder, `ip -n ${target.namespace} addr del ${opts.fip}/32 dev ${r.qg.device} 2>/dev/null || true\n`, 'FIP address');
    rec.addressAppliedAtMs = rec.natAppliedAtMs = Date.now();
  } else {
    const qns = qrouterNs(r.id);
    await nodeScript(holder, renderDvrFipDel(plan, opts.fip, inst.port.ip).join('\n') + '\n', 'FIP routes');
    rec.addressAppliedAtMs = Date.now();
    await nodeScript(holder, restore(qns, dvrQrouterIptables(plan, inst.host, fips)), 'NAT rules');
    rec.natAppliedAtMs = Date.now();
  }
  state.fips = fips;
  writeLabState(paths, state);
  writeFacts(plan, paths, state);
  return rec;
}

