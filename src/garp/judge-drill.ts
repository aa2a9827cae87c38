import type { Verdict } from '../engine/types';

/** why and when a drill stopped early (SIGINT/SIGTERM/SIGHUP or a fatal error: src/interrupt.ts) */
export interface DrillCancel {
  reason: string;
  phase: 'before-fault' | 'after-fault';
}

/**
 * G-ARPs for the router's addresses sent from the qg- of a node that is not the final primary,
 * after the fault (issue 12): with equal VRRP priorities two backups can both go primary for a
 * moment and the fabric learns the shared qg- MAC behind whichever announced last (an L2 flap).
 */
export interface DrillFlap {
  node: string;
  /** addresses it announced */
  ips: string[];
  frames: number;
  firstMs: number;
  lastMs: number;
  /** its last frame after the final primary's last frame before it, ms (>0: it announced last) */
  lastAfterWinnerMs?: number;
}

/** what the drill measured, on the fault's time axis (ms after the fault) */
export interface DrillTimeline {
  newPrimary?: string;
  newPrimaryMs: number | null;
  firstGarpMs: number | null;
  /** the primary when the watch ended (may differ from the first one polled) */
  finalPrimary?: string;
  /** ping outage seen by the client: undefined = not measured, null = never recovered in the watch */
  outageMs?: number | null;
  flaps?: DrillFlap[];
  cancelled?: DrillCancel;
  /** what the restore step did (for the message of a cancelled drill) */
  restored?: string[];
}

export interface DrillJudgement {
  verdict: Verdict;
  message: string;
  /** why the client's outage was what it was, one line per cause (empty when takeover explains it) */
  explanation: string[];
}

/** an outage this much longer than the takeover (and by more than EXCESS_MIN_MS) needs an explanation */
export const OUTAGE_TAKEOVER_FACTOR = 2;
export const EXCESS_MIN_MS = 1500;

const RANK: Record<Verdict, number> = { pass: 0, skip: 0, warn: 1, fail: 2, error: 3 };
const worse = (a: Verdict, b: Verdict): Verdict => (RANK[b] > RANK[a] ? b : a);

/** one line per node that announced besides the final primary */
export function describeFlaps(flaps: readonly DrillFlap[], winner: string | undefined): string[] {
  return flaps.map((f) => `L2 flap: ${f.node} also sent ${f.frames} G-ARP(s) for ${f.ips.join(', ')} at +${f.firstMs}…+${f.lastMs} ms while ${winner ?? 'the new primary'} took over` +
    (f.lastAfterWinnerMs !== undefined && f.lastAfterWinnerMs > 0 ? `, its last ${f.lastAfterWinnerMs} ms after ${winner ?? 'the winner'}'s: the fabric learned the qg- MAC behind ${f.node}` : ''));
}

/**
 * The verdict of a failover drill, decided purely from its timeline (STYLE: decide purely, act at
 * the edge). Pass only when a new primary and its first G-ARP both came within the budget, the
 * client's outage too, and no other node announced the router's addresses (issue 12: a 5.3 s
 * outage behind a 0.9 s takeover with both backups G-ARPing used to PASS); a
 * cancelled drill never passes and says whether anything was injected (issue 8: a drill cancelled
 * before the fault used to inject it anyway and then report "no G-ARP").
 */
export function judgeDrill(t: DrillTimeline, budgetMs: number): DrillJudgement {
  if (t.cancelled?.phase === 'before-fault') {
    return { verdict: 'fail', message: `cancelled (${t.cancelled.reason}) before the fault: nothing was injected, nothing measured`, explanation: [] };
  }
  if (t.cancelled) {
    const seen = t.newPrimaryMs !== null ? `new primary ${t.newPrimary ?? '?'} after ${t.newPrimaryMs} ms` : 'no new primary yet';
    const restored = t.restored && t.restored.length > 0 ? `restored: ${t.restored.join('; ')}` : 'restore attempted (see warnings)';
    return { verdict: 'fail', message: `cancelled (${t.cancelled.reason}) after the fault, failover not measured to the end (${seen}); ${restored}`, explanation: [] };
  }
  const { newPrimaryMs, firstGarpMs } = t;
  const winner = t.finalPrimary ?? t.newPrimary;
  let verdict: Verdict;
  const parts: string[] = [];
  if (newPrimaryMs !== null && firstGarpMs !== null && newPrimaryMs <= budgetMs && firstGarpMs <= budgetMs) {
    verdict = 'pass';
    parts.push(`new primary ${winner} after ${newPrimaryMs} ms, first G-ARP after ${firstGarpMs} ms, within ${budgetMs} ms`);
  } else {
    verdict = 'fail';
    parts.push(...[
      newPrimaryMs === null ? 'no new primary within the watch window' : newPrimaryMs > budgetMs ? `new primary after ${newPrimaryMs} ms > budget ${budgetMs} ms` : '',
      firstGarpMs === null ? `no G-ARP from ${t.newPrimary ?? 'a new primary'}'s qg-` : firstGarpMs > budgetMs ? `first G-ARP after ${firstGarpMs} ms > budget ${budgetMs} ms` : '',
    ].filter(Boolean));
  }
  const explanation: string[] = [];
  const flaps = t.flaps ?? [];
  if (flaps.length > 0) {
    verdict = worse(verdict, 'warn');
    explanation.push(...describeFlaps(flaps, winner));
    parts.push(`${flaps.length} other node(s) announced the router's addresses during the takeover (L2 flap: ${flaps.map((f) => f.node).join(', ')})`);
  }
  // the client's view decides too: a takeover within budget with an outage over it is not a pass
  if (t.outageMs === null) {
    verdict = 'fail';
    parts.push('the client (ping from the upstream) saw no recovery within the watch window');
  } else if (t.outageMs !== undefined) {
    const takeover = Math.max(newPrimaryMs ?? 0, firstGarpMs ?? 0);
    const excess = t.outageMs - takeover;
    if (t.outageMs > budgetMs) {
      verdict = 'fail';
      parts.push(`the client saw a ${t.outageMs} ms outage > budget ${budgetMs} ms`);
    }
    if (newPrimaryMs !== null && t.outageMs > OUTAGE_TAKEOVER_FACTOR * takeover && excess > EXCESS_MIN_MS) {
      verdict = worse(verdict, 'warn');
      parts.push(`client outage ${t.outageMs} ms is ${excess} ms longer than the takeover (${takeover} ms)`);
      explanation.push(`outage ${t.outageMs} ms ≫ takeover ${takeover} ms; likely cause: ${likelyCause(t, flaps, winner)}`);
    }
  }
  return { verdict, message: parts.join('; '), explanation };
}

/** the most likely reason the client waited longer than the takeover, from what the drill saw */
function likelyCause(t: DrillTimeline, flaps: readonly DrillFlap[], winner: string | undefined): string {
  const last = flaps.find((f) => (f.lastAfterWinnerMs ?? 0) > 0);
  if (last) return `${last.node} announced the shared qg- MAC after ${winner ?? 'the new primary'}, so the fabric (bridge FDB / br-ex) forwarded to ${last.node} until it learned the MAC back from ${winner ?? 'the new primary'}'s traffic`;
  if (flaps.length > 0) return `G-ARPs from ${flaps.map((f) => f.node).join(', ')} moved the qg- MAC in the fabric during the takeover`;
  if (t.firstGarpMs === null) return 'no G-ARP from the new primary: the upstream kept the old entry until it expired or re-resolved';
  return 'the upstream or the fabric did not act on the G-ARP (neighbour locktime / arp_accept, lp#1690165; stale MAC learning on br-tun / the switch, lp#2123911)';
}

/**
 * The flaps of a drill from the G-ARPs every node's qg- sent after the fault (tMs on the fault's
 * axis): every node but the final primary that announced is one, with how long after the
 * winner's latest earlier frame its own last frame came.
 */
export function collectFlaps(garps: readonly { node: string; tMs: number; ip: string }[], winner: string | undefined): DrillFlap[] {
  const byNode = new Map<string, { node: string; tMs: number; ip: string }[]>();
  for (const g of garps) if (g.node && g.node !== winner) byNode.set(g.node, [...(byNode.get(g.node) ?? []), g]);
  const mine = garps.filter((g) => g.node === winner).map((g) => g.tMs);
  return [...byNode.entries()].map(([node, list]) => {
    const times = list.map((g) => g.tMs).sort((a, b) => a - b);
    const lastMs = times[times.length - 1]!;
    const before = mine.filter((t) => t <= lastMs);
    const flap: DrillFlap = { node, ips: [...new Set(list.map((g) => g.ip))].sort(), frames: list.length, firstMs: times[0]!, lastMs };
    if (before.length > 0) flap.lastAfterWinnerMs = lastMs - Math.max(...before);
    return flap;
  }).sort((a, b) => a.firstMs - b.firstMs);
}

/**
 * The new primary as a state poll saw it comes late by up to a poll (over SSH, seconds on a loaded
 * host); the new primary's own G-ARP of the router's addresses is sent once it holds them, so an
 * earlier G-ARP from it dates the takeover. `why` says, in the drill's words, why its G-ARP proves it.
 */
export function dateTakeoverByGarp(t: DrillTimeline, why: (who: string, garpMs: number, polledMs: number) => string, unnamed = 'the new primary'): { timeline: DrillTimeline; line?: string } {
  if (t.newPrimaryMs === null || t.firstGarpMs === null || t.firstGarpMs >= t.newPrimaryMs) return { timeline: t };
  return { timeline: { ...t, newPrimaryMs: t.firstGarpMs }, line: why(t.newPrimary ?? unnamed, t.firstGarpMs, t.newPrimaryMs) };
}

/**
 * How much later than `sentAtMs` (when the drill asked) a fault command started on the node: the
 * transport's `runningAtMs` (the remote wrapper's pid marker arrived), 0 when unknown or earlier.
 * A drill counts its times from the fault; dated at the request, every figure would carry the
 * channel open and the remote shell's start (seconds on a loaded node) — a false "over budget".
 */
export function faultStartLag(sentAtMs: number, runningAtMs: number | undefined): number {
  return runningAtMs !== undefined && runningAtMs > sentAtMs ? Math.round(runningAtMs - sentAtMs) : 0;
}

/**
 * When a fault requested at `sentAtMs` ran on `node` (faultStartLag); a start late enough to matter
 * goes to `say` (lateFaultNote). What the OVN and nova drills call after their fault's exec.
 */
export function faultRanAt(sentAtMs: number, runningAtMs: number | undefined, node: string, say: (line: string) => void): number {
  const lagMs = faultStartLag(sentAtMs, runningAtMs);
  const late = lateFaultNote(node, lagMs);
  if (late) say(late);
  return sentAtMs + lagMs;
}

/** the warning a drill gives when its fault started late enough to matter (≥ 500 ms), else undefined */
export function lateFaultNote(node: string, lagMs: number): string | undefined {
  return lagMs >= 500 ? `the fault command started on ${node} ${lagMs} ms after it was sent (a loaded node or link): times count from its start` : undefined;
}
