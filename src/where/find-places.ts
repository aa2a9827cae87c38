import type { Facts } from '../model/facts';
import type { NamespaceSnapshot, NodeSnapshot } from '../model/types';
import type { WhereNode, WherePlace, WhereProblem, WhereResult } from './types';
import { planNamespaces } from '../intent/expect-namespaces';
import { namesTarget, textNamesTarget, type WhereTarget } from './parse-target';
import { garpPlaces, judgeGarp, type GarpFrames } from './garp-places';

/**
 * `haprobe where`: every place an IP or MAC appears in the snapshots (and the facts), layer by
 * layer, and the disagreements between layers. Pure: the snapshots come from a live collection or
 * from analyze's offline sources; each place cites where it was read (`source`: the evidence's
 * command — a sosreport file, a run-file section, `section:addr:qrouter-…` live).
 */
export type { WhereLayer, WherePlace, WhereProblem, WhereNode, WhereResult } from './types';

function nsLabel(ns: string): string {
  return ns === '' ? '(root)' : ns;
}

function namespacesOf(n: NodeSnapshot): NamespaceSnapshot[] {
  return [...(n.root ? [n.root] : []), ...n.namespaces];
}

export interface FindOptions {
  /** G-ARP layer: frames of a live `--listen` capture or of saved captures */
  captures?: GarpFrames[];
}

/** br-tun's table 20 (UCAST_TO_TUN) holds the flows learned from table 10 (LEARN_FROM_TUN) */
function learnedNote(bridge: string, table: number, raw: string): string {
  if (bridge === 'br-tun' && table === 20) return 'learned, UCAST_TO_TUN';
  return /\bhard_timeout=/.test(raw) ? 'learned' : '';
}

export function findPlaces(target: WhereTarget, nodes: WhereNode[], facts?: Facts, options: FindOptions = {}): WhereResult {
  const places: WherePlace[] = [];
  const searched: WhereResult['searched'] = [];
  for (const { snapshot: n, sourceOf, fdb, ovsInterfaces } of nodes) {
    const notRead: string[] = [];
    for (const ns of namespacesOf(n)) {
      const base = { node: n.node, namespace: ns.name };
      for (const d of ns.devices) {
        if (target.kind === 'mac' && d.mac === target.value) {
          places.push({ ...base, layer: 'address', at: d.name, detail: `link/ether ${d.mac}${d.state ? ` state ${d.state}` : ''}`, owner: true, mac: d.mac, source: sourceOf(`addr:${ns.name}`) });
        }
        for (const a of d.addresses) {
          if (target.kind === 'ip' && namesTarget(target, a.address)) {
            places.push({ ...base, layer: 'address', at: d.name, detail: `inet${a.family === 'inet6' ? '6' : ''} ${a.address}/${a.prefixLen}${a.secondary ? ' secondary' : ''}${d.mac ? ` (${d.name} ${d.mac}${d.state ? `, ${d.state}` : ''})` : ''}`, owner: true, mac: d.mac, source: sourceOf(`addr:${ns.name}`) });
          }
        }
      }
      // DVR (Newton+): no device holds a floating IP; the fip- namespace routes FIP/32 to the
      // router (via rfp-, dev fpr-) and its fg- answers ARP for it by proxy ARP (ground-truth
      // §DVR, neutron a388f78c8c): that node owns the FIP, with the fg- MAC
      if (target.kind === 'ip' && ns.name.startsWith('fip-')) {
        const fg = ns.devices.find((d) => d.name.startsWith('fg-'));
        for (const r of ns.routes.filter((x) => namesTarget(target, x.dst) && (x.dev ?? '').startsWith('fpr-') && (x.table ?? 'main') === 'main')) {
          places.push({ ...base, layer: 'address', at: fg?.name ?? r.dev!, detail: `proxy ARP for ${target.value} (route ${r.raw.trim()})${fg?.mac ? ` (${fg.name} ${fg.mac}${fg.state ? `, ${fg.state}` : ''})` : ''}`, owner: true, mac: fg?.mac, source: sourceOf(`route:${ns.name}`) });
        }
      }
      for (const r of ns.routes) {
        if (target.kind === 'ip' && (namesTarget(target, r.dst) || namesTarget(target, r.via) || namesTarget(target, r.src))) {
          places.push({ ...base, layer: 'route', at: `table ${r.table ?? 'main'}`, detail: r.raw.trim(), source: sourceOf(`route:${ns.name}`) });
        }
      }
      for (const r of ns.rules) {
        if (target.kind === 'ip' && (namesTarget(target, r.from) || namesTarget(target, r.to))) {
          places.push({ ...base, layer: 'rule', at: `priority ${r.priority}`, detail: r.raw.trim(), source: sourceOf(`rule:${ns.name}`) });
        }
      }
      for (const r of ns.iptables?.rules ?? []) {
        if (textNamesTarget(target, r.spec)) {
          places.push({ ...base, layer: 'nat', at: `${r.table}/${r.chain}`, detail: `-A ${r.chain} ${r.spec}`, source: sourceOf(`iptables:${ns.name}`) });
        }
      }
      for (const nb of ns.neighbours) {
        if ((target.kind === 'ip' && namesTarget(target, nb.ip)) || (target.kind === 'mac' && nb.mac === target.value)) {
          places.push({ ...base, layer: 'neighbour', at: nb.dev ?? '?', detail: `${nb.ip}${nb.mac ? ` lladdr ${nb.mac}` : ''}${nb.state ? ` ${nb.state}` : ''}`, mac: nb.mac, source: sourceOf(`neigh:${ns.name}`) });
        }
      }
      if (ns.name !== '' && !n.evidence[`addr:${ns.name}`]) notRead.push(`addresses of ${ns.name}`);
    }
    for (const key of ['addr:', 'route:', 'neigh:']) if (!n.evidence[key]) notRead.push(`${key.slice(0, -1)} of the root namespace`);
    for (const b of n.ovs?.bridges ?? []) {
      for (const p of b.ports) {
        for (const i of p.interfaces) {
          const macs = [i.mac_in_use, i.externalIds['attached-mac']].filter((m): m is string => m !== undefined);
          if (target.kind === 'mac' && macs.some((m) => m.toLowerCase() === target.value)) {
            places.push({ node: n.node, layer: 'ovs-port', at: `${b.name}/${p.name}`, detail: `interface ${i.name}${p.tag !== undefined ? ` tag ${p.tag}` : ''}${i.externalIds['iface-id'] ? ` iface-id ${i.externalIds['iface-id']}` : ''}`, source: sourceOf('ovs-vsctl') });
          }
        }
      }
    }
    for (const i of ovsInterfaces ?? []) {
      const hit = target.kind === 'mac' && [i.macInUse, i.externalIds['attached-mac']].some((m) => m?.toLowerCase() === target.value);
      const already = places.some((p) => p.layer === 'ovs-port' && p.node === n.node && p.at.endsWith(`/${i.name}`));
      if (hit && !already) {
        places.push({ node: n.node, layer: 'ovs-port', at: `interface ${i.name}`, detail: `${i.externalIds['attached-mac'] ? `attached-mac ${i.externalIds['attached-mac']}` : `mac_in_use ${i.macInUse}`}${i.externalIds['iface-id'] ? ` iface-id ${i.externalIds['iface-id']}` : ''}${i.ofport !== undefined ? ` ofport ${i.ofport}` : ''}`, source: i.source });
      }
    }
    for (const [bridge, flows] of Object.entries(n.flows)) {
      for (const f of flows) {
        const fields = Object.entries(f.match).filter(([, v]) => v !== '' && (namesTarget(target, v) || namesTarget(target, v.split('/')[0])));
        if (fields.length > 0 || textNamesTarget(target, f.actions)) {
          const how = [fields.length > 0 ? fields.map(([k]) => k).join(',') : 'actions', learnedNote(bridge, f.table, f.raw)].filter(Boolean).join('; ');
          places.push({ node: n.node, layer: 'ovs-flow', at: `${bridge} table ${f.table} (${how})`, detail: f.raw.trim().replace(/\s*(duration|n_packets|n_bytes|idle_age|hard_age)=[^,\s]+,?/g, '').trim(), source: sourceOf(`flows:${bridge}`) });
        }
      }
    }
    if (!n.evidence['ovs-vsctl']) notRead.push('OVS');
    for (const fdbOf of fdb ?? []) {
      for (const e of fdbOf.entries) {
        if (target.kind === 'mac' && e.mac === target.value) {
          places.push({ node: n.node, layer: 'fdb', at: `${fdbOf.bridge} port ${e.port}`, detail: `vlan ${e.vlan} ${e.mac} age ${e.age}`, mac: e.mac, source: fdbOf.source });
        }
      }
    }
    for (const r of n.haRouters) {
      for (const inst of r.config?.instances ?? []) {
        const vips = [...inst.virtualIpaddress.map((v) => ({ v, excluded: false })), ...inst.virtualIpaddressExcluded.map((v) => ({ v, excluded: true }))];
        for (const { v, excluded } of vips) {
          if (target.kind === 'ip' && namesTarget(target, v.address)) {
            places.push({ node: n.node, namespace: `qrouter-${r.routerId}`, layer: 'keepalived', at: `ha_confs/${r.routerId}`, detail: `${excluded ? 'virtual_ipaddress_excluded' : 'virtual_ipaddress'} ${v.address}/${v.prefixLen}${v.dev ? ` dev ${v.dev}` : ''}; state ${r.state ?? 'not read'}`, source: sourceOf(`keepalived:${r.routerId}`) });
          }
        }
      }
    }
    searched.push({ node: n.node, notRead });
  }
  places.push(...factsPlaces(target, facts));
  places.push(...namespacePlaces(places, nodes, facts));
  places.push(...garpPlaces(target, options.captures ?? []));
  const problems = [...judgePlaces(target, places, nodes, facts), ...judgeNamespaces(target, places, facts), ...judgeGarp(target, places, nodes)];
  return { target, places, problems, searched };
}

const ROUTER_NS = /^(qrouter|snat)-(.+)$/;

/** routers the places tie the target to: the namespaces holding it or naming it, the facts' FIP / gateway / router port */
function routersOf(places: WherePlace[], facts?: Facts): Set<string> {
  const ids = new Set<string>();
  for (const p of places) {
    const m = ROUTER_NS.exec(p.namespace ?? '');
    if (m && (p.layer === 'address' || p.layer === 'keepalived')) ids.add(m[2]);
  }
  for (const p of places.filter((x) => x.layer === 'facts')) {
    const fip = / on router ([0-9A-Za-z-]+)/.exec(p.detail);
    if (fip) ids.add(fip[1]);
    const gw = /^router (\S+)$/.exec(p.at);
    if (gw) ids.add(gw[1]);
    const port = facts?.ports.find((x) => `port ${x.id}` === p.at);
    if (port?.deviceOwner.startsWith('network:router') && port.deviceId) ids.add(port.deviceId);
  }
  return ids;
}

/**
 * The namespace layer: every node holding a namespace of a router the target belongs to, where
 * that namespace does NOT hold the address — an HA backup, a DVR compute, or a stale namespace
 * (the second owner-in-waiting: the agent or a restart may wire it up again).
 */
function namespacePlaces(places: WherePlace[], nodes: WhereNode[], facts?: Facts): WherePlace[] {
  const routers = routersOf(places, facts);
  if (routers.size === 0) return [];
  const holders = new Set(places.filter((p) => p.layer === 'address' && p.owner).map((p) => `${p.node}/${p.namespace}`));
  const out: WherePlace[] = [];
  for (const { snapshot: n, sourceOf } of nodes) {
    for (const ns of n.namespaces) {
      const m = ROUTER_NS.exec(ns.name);
      if (!m || !routers.has(m[2]) || holders.has(`${n.node}/${ns.name}`) || ns.vanished) continue;
      const devices = ns.devices.filter((d) => d.name !== 'lo').map((d) => d.name);
      const state = n.haRouters.find((r) => r.routerId === m[2])?.state;
      out.push({
        node: n.node,
        namespace: ns.name,
        layer: 'namespace',
        at: 'present',
        detail: `does not hold it (${devices.length > 0 ? `devices ${devices.join(' ')}` : n.evidence[`addr:${ns.name}`] ? 'no device' : 'addresses not read'}${state ? `; keepalived ${state}` : ''})`,
        source: sourceOf('netns'),
      });
    }
  }
  return out;
}

/** a router namespace on a node the facts say must not have it: the stale second owner */
function judgeNamespaces(target: WhereTarget, places: WherePlace[], facts?: Facts): WhereProblem[] {
  if (!facts) return [];
  const plan = planNamespaces(facts);
  const candidates = places.filter((p) => (p.layer === 'namespace' || (p.layer === 'address' && p.owner)) && p.node !== undefined && ROUTER_NS.test(p.namespace ?? ''));
  const seen = new Set<string>();
  const out: WhereProblem[] = [];
  for (const p of candidates) {
    const key = `${p.node}/${p.namespace}`;
    if (seen.has(key) || plan.allowed(p.node!, p.namespace!)) continue;
    seen.add(key);
    const router = ROUTER_NS.exec(p.namespace!)![2];
    out.push({
      kind: 'stale-namespace',
      message: `${key}: router ${router}'s namespace on a node that must not have it (${p.layer === 'address' ? `it holds ${target.value}` : `a second owner of ${target.value} in waiting`})`,
    });
  }
  return out;
}

function factsPlaces(target: WhereTarget, facts?: Facts): WherePlace[] {
  if (!facts) return [];
  const out: WherePlace[] = [];
  for (const p of facts.ports) {
    if ((target.kind === 'mac' && p.mac.toLowerCase() === target.value) || (target.kind === 'ip' && p.fixedIps.some((ip) => namesTarget(target, ip)))) {
      out.push({ layer: 'facts', node: p.host, at: `port ${p.id}`, detail: `${p.deviceOwner}${p.deviceId ? ` of ${p.deviceId}` : ''}, mac ${p.mac}, fixed ${p.fixedIps.join(' ')}${p.host ? `, binding:host_id ${p.host}` : ''}`, mac: p.mac, source: 'facts' });
    }
  }
  for (const f of facts.floatingIps) {
    if (target.kind === 'ip' && (namesTarget(target, f.floatingIp) || namesTarget(target, f.fixedIp))) {
      out.push({ layer: 'facts', node: f.host, at: `floating IP ${f.id ?? f.floatingIp}`, detail: `${f.floatingIp} → ${f.fixedIp} (port ${f.portId}) on router ${f.routerId}${f.host ? `, host ${f.host}` : ''}`, source: 'facts' });
    }
  }
  for (const r of facts.routers) {
    if (target.kind === 'ip' && namesTarget(target, r.gatewayIp)) out.push({ layer: 'facts', at: `router ${r.id}`, detail: `gateway IP ${r.gatewayIp} (${r.mode}, hosts ${r.hosts.join(' ')})`, source: 'facts' });
  }
  for (const i of facts.instances) {
    if ((target.kind === 'ip' && namesTarget(target, i.ip)) || (target.kind === 'mac' && i.mac.toLowerCase() === target.value)) {
      out.push({ layer: 'facts', node: i.host, at: `instance ${i.name ?? i.id}`, detail: `${i.ip} ${i.mac} on ${i.host}`, source: 'facts' });
    }
  }
  return out;
}

/**
 * The disagreements: two owners (the address held in more than one namespace, or the MAC on more
 * than one device in different namespaces); a neighbour entry whose MAC no owner has (or no device
 * or port at all); a DNAT to/from the address in a namespace that does not hold it; two keepalived
 * primaries for a VIP; facts naming an address no namespace holds.
 */
function judgePlaces(target: WhereTarget, places: WherePlace[], nodes: WhereNode[], facts?: Facts): WhereProblem[] {
  const problems: WhereProblem[] = [];
  const owners = places.filter((p) => p.layer === 'address' && p.owner);
  // one neutron port's MAC is on every HA replica (same namespace and device name on each node):
  // for a MAC, owners are distinct namespace/device pairs; for an IP, distinct node/namespace pairs
  const ownerKeys = [...new Set(owners.map((o) => (target.kind === 'mac' ? `${nsLabel(o.namespace ?? '')}/${o.at}` : `${o.node}/${nsLabel(o.namespace ?? '')}`)))];
  if (ownerKeys.length > 1) {
    problems.push({ kind: 'two-owners', message: `${target.value} is held in ${ownerKeys.length} places: ${owners.map((o) => `${o.node}/${nsLabel(o.namespace ?? '')} ${o.at}`).join(', ')}` });
  }
  if (target.kind === 'ip') {
    const ownerMacs = new Set(owners.map((o) => o.mac).filter((m): m is string => m !== undefined));
    const knownMacs = new Set<string>();
    for (const { snapshot } of nodes) for (const ns of namespacesOf(snapshot)) for (const d of ns.devices) if (d.mac) knownMacs.add(d.mac);
    for (const p of facts?.ports ?? []) knownMacs.add(p.mac.toLowerCase());
    for (const nb of places.filter((p) => p.layer === 'neighbour' && p.mac)) {
      const where = `${nb.node}/${nsLabel(nb.namespace ?? '')} ${nb.at}`;
      if (!knownMacs.has(nb.mac!)) problems.push({ kind: 'neighbour-mac-unknown', message: `neighbour entry on ${where} maps ${target.value} to ${nb.mac}, a MAC no device or port has` });
      else if (ownerMacs.size > 0 && !ownerMacs.has(nb.mac!)) problems.push({ kind: 'neighbour-mac-not-owner', message: `neighbour entry on ${where} maps ${target.value} to ${nb.mac}, but the address is held by ${[...ownerMacs].join(', ')}` });
    }
    const nsHolds = new Set(owners.map((o) => `${o.node}/${o.namespace}`));
    for (const nat of places.filter((p) => p.layer === 'nat' && /-j DNAT\b/.test(p.detail))) {
      // the DNAT matches the address as destination (-d ADDR): that namespace must hold ADDR/32
      if (!/-d\s+\S+/.test(nat.detail) || !textNamesTarget(target, (/-d\s+(\S+)/.exec(nat.detail) ?? ['', ''])[1])) continue;
      // an HA router's standby keeps the DNAT rules; keepalived adds the address on the primary only
      const router = /^qrouter-(.+)$/.exec(nat.namespace ?? '')?.[1];
      const ha = router === undefined ? undefined : nodes.find((n) => n.snapshot.node === nat.node)?.snapshot.haRouters.find((r) => r.routerId === router);
      if (ha && ha.state !== undefined && !/^(primary|master)$/.test(ha.state)) continue;
      // DVR: the DNAT is bound to `-i rfp-` and the node's fip- namespace owns the FIP by proxy ARP
      if (/-i\s+rfp-/.test(nat.detail) && owners.some((o) => o.node === nat.node && (o.namespace ?? '').startsWith('fip-'))) continue;
      if (!nsHolds.has(`${nat.node}/${nat.namespace}`)) problems.push({ kind: 'dnat-without-address', message: `${nat.node}/${nsLabel(nat.namespace ?? '')} has a DNAT for ${target.value} (${nat.at}) but does not hold ${target.value}/32` });
    }
    // a floating IP held (or, DVR, routed by proxy ARP) where no router namespace of that node DNATs it
    if (facts?.floatingIps.some((f) => namesTarget(target, f.floatingIp))) {
      for (const o of owners) {
        const n = nodes.find((x) => x.snapshot.node === o.node)?.snapshot;
        if (!n) continue;
        const routerNs = (o.namespace ?? '').startsWith('qrouter-') ? [o.namespace!] : (o.namespace ?? '').startsWith('fip-') ? n.namespaces.filter((x) => x.name.startsWith('qrouter-')).map((x) => x.name) : [];
        const read = routerNs.filter((ns) => n.evidence[`iptables:${ns}`]);
        if (read.length === 0) continue; // not a router namespace, or its NAT was not read
        // the PREROUTING DNAT is the one traffic from outside takes (OUTPUT's is for the router itself)
        const dnat = places.some((p) => p.layer === 'nat' && p.node === o.node && read.includes(p.namespace ?? '') && /PREROUTING/.test(p.at) && /-j DNAT\b/.test(p.detail) && textNamesTarget(target, (/-d\s+(\S+)/.exec(p.detail) ?? ['', ''])[1]));
        if (!dnat) problems.push({ kind: 'address-without-dnat', message: `${o.node}/${nsLabel(o.namespace ?? '')} ${o.layer === 'address' && (o.namespace ?? '').startsWith('fip-') ? 'routes' : 'holds'} floating IP ${target.value}, but no PREROUTING DNAT for it in ${read.join(', ')}` });
      }
    }
    const primaries = places.filter((p) => p.layer === 'keepalived' && /state (primary|master)\b/.test(p.detail));
    const primaryNodes = [...new Set(primaries.map((p) => p.node))];
    if (primaryNodes.length > 1) problems.push({ kind: 'two-primaries', message: `keepalived is primary for the VIP ${target.value} on ${primaryNodes.join(' and ')}` });
    const fip = facts?.floatingIps.find((f) => namesTarget(target, f.floatingIp));
    if (fip && owners.length === 0 && nodes.length > 0) {
      problems.push({ kind: 'facts-not-in-dataplane', message: `the facts have floating IP ${target.value} (router ${fip.routerId}) but no namespace holds it` });
    } else if (fip) {
      const elsewhere = owners.filter((o) => !(o.namespace ?? '').endsWith(fip.routerId) && !(o.namespace ?? '').startsWith('fip-'));
      for (const o of elsewhere) problems.push({ kind: 'facts-elsewhere', message: `floating IP ${target.value} belongs to router ${fip.routerId}, yet ${o.node}/${nsLabel(o.namespace ?? '')} ${o.at} holds it` });
    }
  }
  return problems;
}
