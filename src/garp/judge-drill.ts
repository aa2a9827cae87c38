import type { Verdict } from '../engine/types';

/** why and when a drill stopped early (SIGINT/SIGTERM/SIGHUP or a fatal error: src/interrupt.ts) */
export interface DrillCancel {
  reason: string;
  phase: 'before-fault' | 'after-fault';
}

/** what the drill measured, on the fault's time axis (ms after the fault) */
export interface DrillTimeline {
  newPrimary?: string;
  newPrimaryMs: number | null;
  firstGarpMs: number | null;
  cancelled?: DrillCancel;
  /** what the restore step did (for the message of a cancelled drill) */
  restored?: string[];
}

export interface DrillJudgement {
  verdict: Verdict;
  message: string;
}

/**
 * The verdict of a failover drill, decided purely from its timeline (STYLE: decide purely, act at
 * the edge). Pass only when a new primary and its first G-ARP both came within the budget; a
 * cancelled drill never passes and says whether anything was injected (issue 8: a drill cancelled
 * before the fault used to inject it anyway and then report "no G-ARP").
 */
export function judgeDrill(t: DrillTimeline, budgetMs: number): DrillJudgement {
  if (t.cancelled?.phase === 'before-fault') {
    return { verdict: 'fail', message: `cancelled (${t.cancelled.reason}) before the fault: nothing was injected, nothing measured` };
  }
  if (t.cancelled) {
    const seen = t.newPrimaryMs !== null ? `new primary ${t.newPrimary ?? '?'} after ${t.newPrimaryMs} ms` : 'no new primary yet';
    const restored = t.restored && t.restored.length > 0 ? `restored: ${t.restored.join('; ')}` : 'restore attempted (see warnings)';
    return { verdict: 'fail', message: `cancelled (${t.cancelled.reason}) after the fault, failover not measured to the end (${seen}); ${restored}` };
  }
  const { newPrimaryMs, firstGarpMs } = t;
  if (newPrimaryMs !== null && firstGarpMs !== null && newPrimaryMs <= budgetMs && firstGarpMs <= budgetMs) {
    return { verdict: 'pass', message: `new primary ${t.newPrimary} after ${newPrimaryMs} ms, first G-ARP after ${firstGarpMs} ms, within ${budgetMs} ms` };
  }
  const problems = [
    newPrimaryMs === null ? 'no new primary within the watch window' : newPrimaryMs > budgetMs ? `new primary after ${newPrimaryMs} ms > budget ${budgetMs} ms` : '',
    firstGarpMs === null ? `no G-ARP from ${t.newPrimary ?? 'a new primary'}'s qg-` : firstGarpMs > budgetMs ? `first G-ARP after ${firstGarpMs} ms > budget ${budgetMs} ms` : '',
  ].filter(Boolean);
  return { verdict: 'fail', message: problems.join('; ') };
}
