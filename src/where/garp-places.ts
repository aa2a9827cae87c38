import { classifyArp, isGarp } from '../capture/classify';
import type { CapturedFrame } from '../capture/types';
import { namesTarget, type WhereTarget } from './parse-target';
import type { WhereNode, WherePlace, WhereProblem } from './types';

/**
 * The G-ARP layer of `where`: who announced this address (or this MAC) last, from frames of a
 * short live capture (`where --listen`) or of saved captures (`--capture FILE`, pcap or tcpdump
 * text). Pure.
 *
 * A G-ARP for an IP says "IP is at MAC": the last one seen is what every L2 neighbour's cache now
 * holds. The announcer is the frame's node when the capture point saw it leave (direction 'out':
 * the sender's own qg-); a frame merely received (a br-ex, the upstream) names only the MAC —
 * L3 HA replicas share one qg- MAC, so only the sending side names the node (issue 15).
 */
export interface GarpFrames {
  frames: CapturedFrame[];
  /** where the frames came from: a file, or "live capture N s" */
  source: string;
}

/** at most this many G-ARP places per capture point and announced IP (the last ones) */
const LAST_PER_POINT = 3;

/** "ns:qrouter-x:qg-1" → namespace + device (the live capture's label, capture/live.ts) */
function splitPoint(device: string | undefined): { namespace?: string; at: string } {
  const m = /^ns:([^:]+):(.+)$/.exec(device ?? '');
  return m ? { namespace: m[1], at: m[2] } : { at: device ?? '?' };
}

function isoOf(f: CapturedFrame): string {
  return f.clock === 'time-of-day' ? `${f.ts.toFixed(3)} s of the day` : new Date(Math.round(f.ts * 1000)).toISOString();
}

export function garpPlaces(target: WhereTarget, captures: GarpFrames[]): WherePlace[] {
  const hits: { place: WherePlace; ts: number; key: string }[] = [];
  for (const cap of captures) {
    for (const f of cap.frames) {
      const c = classifyArp(f);
      if (!c || !isGarp(c) || c.ip === undefined) continue;
      const matches = target.kind === 'ip' ? namesTarget(target, c.ip) : c.mac?.toLowerCase() === target.value;
      if (!matches) continue;
      const { namespace, at } = splitPoint(f.device ?? cap.source);
      const dir = f.direction === 'out' ? 'sent' : f.direction === 'in' ? 'received' : 'seen';
      hits.push({
        key: `${f.node ?? ''}\u0000${f.device ?? cap.source}\u0000${c.ip}`,
        ts: f.ts,
        place: {
          layer: 'garp',
          ...(f.node !== undefined ? { node: f.node } : {}),
          ...(namespace !== undefined ? { namespace } : {}),
          at,
          detail: `G-ARP ${c.class === 'garp-reply' ? 'reply' : 'request'} ${c.ip} is-at ${c.mac ?? '?'} ${dir} at ${isoOf(f)}${f.vlan !== undefined ? ` vlan ${f.vlan}` : ''}`,
          ...(c.mac ? { mac: c.mac.toLowerCase() } : {}),
          ...(f.direction ? { direction: f.direction } : {}),
          ts: f.ts,
          source: cap.source,
        },
      });
    }
  }
  const byPoint = new Map<string, typeof hits>();
  for (const h of hits) byPoint.set(h.key, [...(byPoint.get(h.key) ?? []), h]);
  return [...byPoint.values()].flatMap((list) => list.sort((a, b) => a.ts - b.ts).slice(-LAST_PER_POINT)).sort((a, b) => a.ts - b.ts).map((h) => h.place);
}

/**
 * Disagreements of the G-ARP layer: more than one node sent G-ARPs for the IP (two announcers:
 * split brain, a stale router still answering); a node announced it that does not hold it in the
 * snapshot; or the last G-ARP points at a MAC the address's owner does not have (every neighbour
 * now sends the address's traffic there).
 */
export function judgeGarp(target: WhereTarget, places: WherePlace[], nodes: WhereNode[]): WhereProblem[] {
  if (target.kind !== 'ip') return [];
  const garps = places.filter((p) => p.layer === 'garp');
  if (garps.length === 0) return [];
  const problems: WhereProblem[] = [];
  const senders = [...new Set(garps.filter((p) => p.direction === 'out' && p.node !== undefined).map((p) => p.node as string))];
  const macs = [...new Set(garps.map((p) => p.mac).filter((m): m is string => m !== undefined))];
  if (senders.length > 1) problems.push({ kind: 'two-announcers', message: `${target.value} was announced (G-ARP) by ${senders.length} nodes: ${senders.join(', ')}` });
  else if (macs.length > 1) problems.push({ kind: 'two-announcers', message: `${target.value} was announced (G-ARP) with ${macs.length} MACs: ${macs.join(', ')}` });
  const ownerMacs = new Set(places.filter((p) => p.layer === 'address' && p.owner && p.mac).map((p) => p.mac as string));
  // a node that sent G-ARPs for the address without holding it in the snapshot (taken just before
  // a live capture): a second owner — a replica turned primary, a stale router still announcing
  const ownerNodes = new Set(places.filter((p) => p.layer === 'address' && p.owner).map((p) => p.node));
  if (ownerNodes.size > 0) {
    for (const node of senders.filter((n) => !ownerNodes.has(n))) {
      const sent = garps.filter((p) => p.node === node && p.direction === 'out');
      problems.push({ kind: 'garp-not-owner', message: `${node} announced ${target.value} (G-ARP sent on ${sent[0].namespace ? `${sent[0].namespace} ` : ''}${sent[0].at}, ${sent.length} seen) but the snapshot has it held by ${[...ownerNodes].join(', ')}` });
    }
  }
  const last = garps.reduce((a, b) => ((b.ts ?? 0) >= (a.ts ?? 0) ? b : a));
  if (ownerMacs.size > 0 && last.mac !== undefined && !ownerMacs.has(last.mac) && nodes.length > 0) {
    problems.push({ kind: 'garp-not-owner', message: `the last G-ARP for ${target.value} (${last.node ?? last.source ?? '?'} ${last.at}) points at ${last.mac}, but the address is held by ${[...ownerMacs].join(', ')}` });
  }
  return problems;
}
