import type { GarpAnalysis } from './analyze-capture';
import { escapeControls, renderTextTable } from './render-text-table';

/** "HH:MM:SS.ffffff" (UTC for epoch times, as read for time-of-day ones) */
export function formatTs(ts: number): string {
  const sec = Math.floor(ts);
  const usec = Math.round((ts - sec) * 1e6);
  const day = ((sec % 86400) + 86400) % 86400;
  const hh = String(Math.floor(day / 3600)).padStart(2, '0');
  const mm = String(Math.floor((day % 3600) / 60)).padStart(2, '0');
  const ss = String(day % 60).padStart(2, '0');
  return `${hh}:${mm}:${ss}.${String(usec).padStart(6, '0')}`;
}

/** `garp watch` as text: one row per ARP/VRRP frame (linear in the frames, issue 8), verdict, anomalies. */
export function renderGarpTable(a: GarpAnalysis): string {
  const rows = a.events.map((e) => [formatTs(e.ts), e.node ?? '', e.device ?? '', e.ip ?? '', e.mac ?? '', e.shape ? `${e.kind} (${e.shape})` : e.kind, e.detail ?? '']);
  const table = renderTextTable(['time', 'node', 'device', 'IP', 'MAC', 'kind', 'detail'], rows);
  const lines = [a.events.length > 0 ? table : '(no ARP or VRRP frame)', ''];
  if (a.verdict) {
    const v = a.verdict;
    lines.push(`verdict ${v.ip} ${v.mac} ${v.pattern}: ${v.status}${v.cause ? ` (${v.cause})` : ''}, ${v.counted}/${v.expected.required} G-ARPs${v.firstGarpAfterMs !== undefined ? `, first after ${v.firstGarpAfterMs} ms` : ''}`);
    for (const p of v.problems) lines.push(`  - ${p.cause}: ${p.detail}`);
    for (const n of v.notes) lines.push(`  · ${n}`);
  }
  if (a.anomalies.length === 0) lines.push(`${a.frames} frame(s), no anomaly`);
  else {
    lines.push(`${a.frames} frame(s), ${a.anomalies.length} anomal${a.anomalies.length === 1 ? 'y' : 'ies'}:`);
    for (const x of a.anomalies) lines.push(`  ${x.severity.toUpperCase()} ${x.kind}: ${escapeControls(x.detail)}`);
  }
  return lines.join('\n') + '\n';
}

export function renderGarpJson(a: GarpAnalysis, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...extra, ...a }, null, 2) + '\n';
}
