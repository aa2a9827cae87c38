import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { buildFacts } from './plan';
import type { LabPaths, LabPlan, LabState } from './types';
import { extraPrimaryOf, haPrimaryOf } from './ha-state';

/** inventory.yaml in haprobe's inventory format (src/inventory/types.ts) */
export function renderInventory(plan: Pick<LabPlan, 'nodes'>, paths: LabPaths): string {
  return stringify({
    knownHosts: paths.knownHosts,
    nodes: plan.nodes.map((n) => ({
      name: n.name, address: n.mgmtIp, port: 22, user: 'root', identityFile: paths.key, roles: n.roles,
    })),
  });
}

/** known_hosts lines from each node's host public key */
export function renderKnownHosts(plan: Pick<LabPlan, 'nodes'>, paths: LabPaths): string {
  return plan.nodes
    .map((n) => {
      const pub = fs.readFileSync(path.join(paths.nodeDir(n.name), 'ssh_host_ed25519_key.pub'), 'utf8').trim().split(/\s+/);
      return `${n.mgmtIp} ${pub[0]} ${pub[1]}`;
    })
    .join('\n') + '\n';
}

/** facts.json for the lab's current state (FIP associations, HA primary from the state files) */
export function writeFacts(plan: LabPlan, paths: LabPaths, state: LabState): void {
  // neutron-multinic-aa fault mn-same-node: the scheduler put r2 on r1's agent, and the API says so
  const r2Host = state.faults.map((f) => f.undo?.factsR2Host).find((h): h is string => typeof h === 'string');
  const facts = buildFacts(plan, state.fips, haPrimaryOf(plan, paths), extraPrimaryOf(plan, paths), r2Host);
  // a fault whose bug lives in the DB too (lp1823314: two routers got one ha_vr_id) says so in its record
  for (const f of state.faults) {
    const id = f.undo?.factsRouterId;
    const vrid = f.undo?.factsHaVrId;
    // lp1774459: a port with an allowed-address-pair VIP ("<port id>=<ip>")
    const aap = f.undo?.factsAap;
    if (typeof aap === 'string') {
      const [portId, ip] = aap.split('=');
      for (const p of facts.ports) if (p.id === portId) p.allowedAddressPairs = [...(p.allowedAddressPairs ?? []), { ipAddress: ip! }];
    }
    // lp1837635: the agents reported a short-lived primary and missed its return, the API says active twice
    const active = f.undo?.factsHaActive;
    if (typeof id !== 'string') continue;
    for (const r of facts.routers) {
      if (r.id !== id) continue;
      if (typeof vrid === 'number') r.haVrId = vrid;
      if (typeof active === 'string' && r.haState) for (const h of active.split(',')) r.haState[h] = 'active';
    }
  }
  fs.writeFileSync(paths.facts, JSON.stringify(facts, null, 2) + '\n');
}
