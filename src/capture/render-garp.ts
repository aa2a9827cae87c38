import type { GarpAnalysis, GarpEventRow } from './analyze-capture';
import { escapeControls } from './render-text-table';

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

/**
 * The columns of a `garp watch` row, in order, with the width a live row uses (issue 13:
 * compact rows, no box, no rule between frames). A live capture cannot know the widest cell
 * ahead, so live rows pad to these widths and a longer cell just pushes the rest right; an
 * offline table pads to its widest cell. The detail is last, unpadded.
 */
export const GARP_COLUMNS = [
  { head: 'time', width: 15 },
  { head: 'node', width: 6 },
  { head: 'kind', width: 23 },
  { head: 'IP', width: 15 },
  { head: 'MAC', width: 17 },
  { head: 'device', width: 10 },
  { head: 'detail', width: 0 },
] as const;

export type GarpColumnWidths = readonly number[];

/** the cells of one event row, control characters escaped (text from a capture never reaches the terminal raw) */
function cellsOf(e: GarpEventRow): string[] {
  return [formatTs(e.ts), e.node ?? '', e.shape ? `${e.kind} (${e.shape})` : e.kind, e.ip ?? '', e.mac ?? '', e.device ?? '', e.detail ?? ''].map(escapeControls);
}

function line(cells: readonly string[], widths: GarpColumnWidths): string {
  return cells
    .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
    .join('  ')
    .trimEnd();
}

/** the header line of a `garp watch` table */
export function renderGarpHeader(widths: GarpColumnWidths = GARP_COLUMNS.map((c) => c.width)): string {
  return line(
    GARP_COLUMNS.map((c) => c.head),
    widths,
  );
}

/** one frame as one line, as `garp watch` prints it live the moment the frame arrives */
export function renderGarpRow(e: GarpEventRow, widths: GarpColumnWidths = GARP_COLUMNS.map((c) => c.width)): string {
  return line(cellsOf(e), widths);
}

/** `garp watch` as text: one compact row per ARP/VRRP frame (linear in the frames, issue 8), then verdict and anomalies. */
export function renderGarpTable(a: GarpAnalysis): string {
  if (a.events.length === 0) return ['(no ARP or VRRP frame)', '', renderGarpSummary(a)].join('\n');
  const rows = a.events.map(cellsOf);
  const widths = GARP_COLUMNS.map((c, i) => rows.reduce((w, r) => Math.max(w, r[i]!.length), c.head.length));
  const out = [renderGarpHeader(widths)];
  for (const r of rows) out.push(line(r, widths));
  return [...out, '', renderGarpSummary(a)].join('\n');
}

/** what follows the rows: the verdict (when an expectation was given) and the anomalies of the window */
export function renderGarpSummary(a: GarpAnalysis): string {
  const lines: string[] = [];
  if (a.verdict) {
    const v = a.verdict;
    lines.push(`verdict ${v.ip} ${v.mac} ${v.pattern}: ${v.status}${v.cause ? ` (${v.cause})` : ''}, ${v.counted}/${v.expected.required} G-ARPs${v.firstGarpAfterMs !== undefined ? `, first after ${v.firstGarpAfterMs} ms` : ''}`);
    for (const p of v.problems) lines.push(`  - ${p.cause}: ${escapeControls(p.detail)}`);
    for (const n of v.notes) lines.push(`  · ${escapeControls(n)}`);
  }
  if (a.anomalies.length === 0) lines.push(`${a.frames} frame(s), no anomaly`);
  else {
    lines.push(`${a.frames} frame(s), ${a.anomalies.length} anomal${a.anomalies.length === 1 ? 'y' : 'ies'}:`);
    for (const x of a.anomalies) lines.push(`  ${x.severity.toUpperCase()} ${x.kind}: ${escapeControls(x.detail)}${x.references && x.references.length > 0 ? ` [${x.references.join(' ')}]` : ''}`);
  }
  for (const n of a.unjudged ?? []) lines.push(`  · ${escapeControls(n)}`);
  return lines.join('\n') + '\n';
}

export function renderGarpJson(a: GarpAnalysis, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...extra, ...a }, null, 2) + '\n';
}
