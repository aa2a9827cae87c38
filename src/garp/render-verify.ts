import { renderTextTable } from '../capture/render-text-table';
import type { VerifyGarpResult } from './verify-garp';
import { toGarpVerification } from './to-garp-verification';
import { describeOffsets } from './estimate-offset';

const RECEIVER_WORD = { ok: 'OK', wrong: 'WRONG', unresolved: 'UNRESOLVED', unread: 'NOT READ' } as const;

/** `garp verify` output: verdict with cause, timeline, expected vs seen, wire and receiver side. */
export function renderVerifyTable(r: VerifyGarpResult): string {
  const p = r.plan;
  const v = r.verdict;
  const lines: string[] = [];
  lines.push(`floating IP ${p.fip}${p.fixedIp ? ` → ${p.fixedIp}` : ''}${p.instance ? ` (${p.instance.name ?? p.instance.id} on ${p.instance.host})` : ''}, ${p.mode === 'nova-network' ? `nova-network ${p.routerId}` : `router ${p.routerId} (${p.mode})`}`);
  lines.push(`change: ${r.action ? `${r.action.kind === 'change' ? r.action.what : r.action.kind}${r.trigger ? ` — ${r.trigger.description}` : ''}` : 'none (read-only watch)'}`);
  lines.push(`expected: ${r.action?.kind === 'disassociate' ? 'no announcement' : `${p.pattern} from ${p.expected.node} ${p.expected.namespace ? `${p.expected.namespace}/` : ''}${p.expected.device} sha ${p.expected.mac}, first within ${r.expectation.deadlineMs} ms`}`);
  lines.push(`          (${p.patternSource})`);
  // renderTextTable: linear in the frames (cli-table3 is quadratic) and control characters escaped.
  const rows = v.timeline.map((e) => [String(Math.round(e.t * 1000)), e.node ?? '', e.device ?? '', `${e.kind}${e.shape ? ` (${e.shape})` : ''}`, e.sha ?? '', `${e.spa ?? '?'}→${e.tpa ?? '?'}`, `${e.role}${e.note ? `: ${e.note}` : ''}`]);
  lines.push(rows.length > 0 ? renderTextTable(['t ms', 'node', 'device', 'kind', 'sha', 'spa→tpa', 'judged'], rows) : '(no ARP frame for this IP at the announcing devices)');
  if (r.action?.kind !== 'disassociate') {
    lines.push(`seen: ${v.counted} correct G-ARP(s), expected ${v.expected.required}${v.expected.max !== v.expected.required ? `–${v.expected.max}` : ''}${v.firstGarpAfterMs !== undefined ? `, first after ${v.firstGarpAfterMs} ms` : ''}`);
    const counted = v.timeline.filter((e) => e.role === 'counted');
    if (counted.length > 1) lines.push(`spacing ms: ${counted.slice(1).map((e, i) => Math.round((e.t - counted[i].t) * 1000)).join(', ')}`);
  }
  for (const w of r.wire) {
    if (w.error) {
      lines.push(`${w.role} ${w.node} ${w.device}: capture FAILED — ${w.error}`);
      continue;
    }
    lines.push(`${w.role} ${w.node} ${w.device}: ${w.garps} announcement(s) of ${p.fip}${w.firstMs !== undefined ? `, first at +${w.firstMs} ms` : ''}${w.macs.length > 0 ? ` from ${w.macs.join(', ')}` : ''}`);
  }
  for (const l of describeOffsets(r.clockOffsets ?? [])) lines.push(l);
  if (r.upstream) lines.push(`receiver: ${RECEIVER_WORD[r.upstream.status]} — ${r.upstream.message}`);
  for (const prob of v.problems) lines.push(`  - ${prob.cause}: ${prob.detail}`);
  for (const n of v.notes) lines.push(`  · ${n}`);
  for (const w of r.warnings) lines.push(`  ! ${w}`);
  lines.push(`verdict: ${r.status}${r.cause && r.status !== 'PASS' ? ` (${r.cause})` : ''} — ${r.message}`);
  return lines.join('\n') + '\n';
}

export function renderVerifyJson(r: VerifyGarpResult): string {
  return JSON.stringify({
    status: r.status, cause: r.cause, message: r.message, verification: toGarpVerification(r), plan: r.plan, verdict: r.verdict,
    wire: r.wire, clockOffsets: r.clockOffsets, upstream: r.upstream, haStates: r.haStates, trigger: r.trigger, stopReason: r.stopReason, warnings: r.warnings,
    sources: r.sources.map((s) => ({ node: s.node, device: s.device, frames: s.frames, failure: s.failure, warnings: s.warnings })),
  }, null, 2) + '\n';
}
