import type { CapturedFrame, Icmp6Kind } from './types';
import { describeIcmp6Kind } from './icmp6';

/**
 * An L3 HA backup must stay silent on the external network (ground-truth §7 row 13). All
 * replicas' qg- share one MAC; when a backup's qg- has IPv6 on and a link-local address (the
 * kernel makes one on link up unless addr_gen_mode=1, neutron Zed `5288593faf`, lp#1952907), the
 * kernel sends a DAD neighbour solicitation and MLD reports for the groups it joins, and the
 * upstream switch learns the gateway MAC on the backup's port: intermittent north-south loss
 * (lp#1859832; the Ussuri fix took qg- down on backups, reverted in Zed for lp#1965297).
 * Pure: frames and each node's HA role of each router in, findings and notes out.
 */

/** the references every finding carries: §7 row 13's bugs, the operators' report first */
export const BACKUP_IPV6_REFERENCES = ['lp#1859832', 'lp#1771841', 'lp#1952907', 'lp#1965297'] as const;

/**
 * the verdict id a lab fault names as the check that must catch it (`lab faults`): not a `run`
 * check, a `garp watch` anomaly kind, so the frames are seen on the wire
 */
export const BACKUP_IPV6_CHECK = 'garp-watch:backup-ipv6-emission';

/** capture verdicts that lab faults may name instead of a `run` check, with the references their findings carry */
export const CAPTURE_VERDICTS: readonly { id: string; references: readonly string[] }[] = [{ id: BACKUP_IPV6_CHECK, references: BACKUP_IPV6_REFERENCES }];

/** role of one node for one router over the capture window (see roleOverWindow) */
export type HaWindowRole = 'primary' | 'backup' | 'changed' | 'unknown';

export interface BackupEmission {
  ts: number;
  node: string;
  /** the capture point as labelled ("ns:qrouter-<id>:qg-…") */
  device: string;
  routerId: string;
  mac?: string;
  kind: Icmp6Kind;
  /** "MLDv2 report ff02::16 groups ff02::1:ff4d:b9e2" */
  frame: string;
  references: readonly string[];
  detail: string;
}

export interface BackupEmissionJudgement {
  emissions: BackupEmission[];
  /** emissions that could not be judged (HA state unknown or changed during the window), one line per router/node */
  notes: string[];
}

/** "ns:qrouter-<id>:qg-…" / "ns:snat-<id>:qg-…" (DVR-HA) → router id and gateway device; else undefined */
export function routerGatewayOf(device: string | undefined): { routerId: string; namespace: string; device: string } | undefined {
  if (!device) return undefined;
  const m = /^ns:((?:qrouter|snat)-([^:]+)):(qg-[^:]*)$/.exec(device);
  return m ? { namespace: m[1]!, routerId: m[2]!, device: m[3]! } : undefined;
}

/**
 * The role over the window from the state file read before and after the capture: a node is a
 * backup only when both reads say so; primary (or `master`, before Victoria) at both ends is
 * primary; anything else (a failover during the window, an unreadable or missing state file)
 * cannot be judged.
 */
export function roleOverWindow(before: string | undefined, after: string | undefined): HaWindowRole {
  const norm = (s: string | undefined): string | undefined => (s === 'master' ? 'primary' : s);
  const a = norm(before);
  const b = norm(after);
  if (a === 'backup' && b === 'backup') return 'backup';
  if (a === 'primary' && b === 'primary') return 'primary';
  if ((a === 'primary' || a === 'backup') && (b === 'primary' || b === 'backup')) return 'changed';
  return 'unknown';
}

/** frame summary for rows and findings: kind, destination, and the target or groups */
export function describeIcmp6Frame(f: CapturedFrame): string {
  const m = f.icmp6;
  if (!m) return 'not ICMPv6';
  const parts = [describeIcmp6Kind(m.kind)];
  if (m.kind === 'other') parts.push(`type ${m.type}`);
  if (f.ip?.dst) parts.push(`to ${f.ip.dst}`);
  if (m.target) parts.push(`target ${m.target}`);
  if (m.groups && m.groups.length > 0) parts.push(`group${m.groups.length > 1 ? 's' : ''} ${m.groups.join(',')}`);
  if (f.ip?.src) parts.push(`from ${f.ip.src}`);
  return parts.join(' ');
}

/** a frame the labelled device SENT (a -Q out capture or an outgoing cooked frame), ICMPv6 */
function isSentIcmp6(f: CapturedFrame): boolean {
  return f.kind === 'icmp6' && f.icmp6 !== undefined && f.direction === 'out';
}

/**
 * Every ICMPv6 frame a backup's qg- sent is a finding (one per frame, node, device, MAC, frame
 * type); a primary's are context (keepalived puts the link-local VIP on the primary, which then
 * joins its groups); frames of a node whose role is unknown or changed are counted in a note.
 * `roleOf(node, routerId)` gives the window role; frames without a direction are not judged.
 */
export function judgeBackupEmissions(frames: readonly CapturedFrame[], roleOf: (node: string, routerId: string) => HaWindowRole): BackupEmissionJudgement {
  const emissions: BackupEmission[] = [];
  const unjudged = new Map<string, { role: HaWindowRole; count: number; node: string; device: string }>();
  for (const f of frames) {
    if (!isSentIcmp6(f) || f.node === undefined) continue;
    const gw = routerGatewayOf(f.device);
    if (!gw) continue;
    const role = roleOf(f.node, gw.routerId);
    if (role === 'primary') continue;
    if (role !== 'backup') {
      const key = `${f.node}\u0000${f.device}`;
      const u = unjudged.get(key) ?? { role, count: 0, node: f.node, device: f.device! };
      u.count++;
      unjudged.set(key, u);
      continue;
    }
    const frame = describeIcmp6Frame(f);
    emissions.push({
      ts: f.ts, node: f.node, device: f.device!, routerId: gw.routerId, mac: f.ethSrc, kind: f.icmp6!.kind, frame,
      references: BACKUP_IPV6_REFERENCES,
      detail: `${f.node} ${gw.device} (router ${gw.routerId}) is an L3 HA backup and sent ${frame}, Ethernet source ${f.ethSrc ?? '?'}: ` +
        `the upstream switch learns the gateway MAC on this node's port (${BACKUP_IPV6_REFERENCES[0]})`,
    });
  }
  const notes = [...unjudged.values()].map(
    (u) => `${u.node} ${u.device}: ${u.count} ICMPv6 frame(s) sent, not judged: ${u.role === 'changed' ? 'its HA state changed during the capture' : 'HA state unknown (no readable state file: not an HA router, or another state_path)'}`,
  );
  return { emissions, notes };
}
