import type { Verdict } from '../engine/types';
import type { GarpFrame, GarpVerification } from '../result/run-result';
import type { VerdictStatus } from '../capture/verdict';
import type { VerifyGarpResult } from './verify-garp';

/** judge status → run-file verdict: INCONCLUSIVE is a warning (nothing proven either way) */
export function verdictOf(status: VerdictStatus): Verdict {
  return status === 'PASS' ? 'pass' : status === 'FAIL' ? 'fail' : 'warn';
}

/** `garp verify` result → RunResult.garp entry (src/report/result.ts), pure */
export function toGarpVerification(r: VerifyGarpResult): GarpVerification {
  const timeline: GarpFrame[] = r.verdict.timeline.map((e) => {
    const f: GarpFrame = {
      tMs: Math.round(e.t * 1000),
      node: e.node ?? '',
      device: e.device ?? '',
      kind: e.op === 1 ? 'request' : e.op === 2 ? 'reply' : `op ${e.op}`,
      sha: e.sha ?? '',
      spa: e.spa ?? '',
      tpa: e.tpa ?? '',
      garp: e.kind === 'garp-request' || e.kind === 'garp-reply',
    };
    const note = [e.role !== 'counted' ? e.role : '', e.note ?? ''].filter(Boolean).join(': ');
    if (note) f.note = note;
    return f;
  });
  const out: GarpVerification = {
    fip: r.plan.fip,
    verdict: verdictOf(r.status),
    expected: {
      mac: r.plan.expected.mac,
      node: r.plan.expected.node,
      device: `${r.plan.expected.namespace}/${r.plan.expected.device}`,
      count: r.action?.kind === 'disassociate' ? 0 : r.verdict.expected.required,
      withinMs: r.expectation.deadlineMs,
      shape: r.action?.kind === 'disassociate' ? 'none' : r.plan.pattern,
    },
    timeline,
    message: [r.message, r.upstream?.message].filter(Boolean).join('; '),
  };
  if (r.cause && r.status !== 'PASS') out.cause = r.cause;
  return out;
}
