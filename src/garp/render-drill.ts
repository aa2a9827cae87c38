import { renderTextTable } from '../capture/render-text-table';
import { NEUTRON_DRILL_WORDS, type DrillOutcome } from './drill-failover';
import { describeOffsets } from './estimate-offset';
import type { DrillPath } from '../result/run-result';

const ms = (v: number | null, none: string): string => (v === null ? none : `${v} ms`);

/** `drill failover` output: measured timeline, the three figures against the budget, what was restored */
export function renderDrillTable(o: DrillOutcome): string {
  const d = o.drill;
  const w = o.words ?? NEUTRON_DRILL_WORDS;
  const final = o.finalPrimary && o.finalPrimary !== d.newPrimary ? ` (first polled ${d.newPrimary ?? 'none'}, ${w.role} at the end ${o.finalPrimary})` : '';
  const lines = [d.paths ? `${w.unit}${d.router}: ${d.fault}` : `${w.unit}${d.router}: ${d.fault}, ${w.role} ${d.oldPrimary ?? '?'} → ${o.finalPrimary ?? d.newPrimary ?? 'none'}${final}`];
  lines.push(renderTextTable(['t ms', 'event', 'node', 'detail'], d.events.map((e) => [String(e.tMs), e.kind, e.node ?? '', e.detail ?? ''])));
  if (d.paths) lines.push(...describePaths(d.paths, d.budgetMs));
  else lines.push(`new ${w.role} after ${ms(d.newPrimaryMs, 'never')} · first G-ARP after ${ms(d.firstGarpMs, 'never')} · ping outage ${o.ping ? ms(d.outageMs, 'not recovered') : 'not measured'} · budget ${d.budgetMs} ms`);
  for (const l of describeOffsets(o.clockOffsets ?? [])) lines.push(l);
  if (o.ping) lines.push(`ping ${o.ping.fip} from ${o.ping.from}: ${o.ping.replies} replies, ${o.ping.lost} lost`);
  if (o.garps.length > 0) lines.push(`G-ARPs from ${w.garpFrom} after the fault: ${o.garps.slice(0, 12).map((g) => `${g.node} ${g.ip} +${g.tMs}`).join(', ')}${o.garps.length > 12 ? ' …' : ''}`);
  if (!d.paths && o.flaps.length === 0 && o.garps.length > 0) lines.push(`announcements: only ${o.finalPrimary ?? d.newPrimary ?? 'the new primary'} sent G-ARPs after the fault (no L2 flap)`);
  if (o.explanation.length > 0) {
    lines.push('explanation:');
    for (const e of o.explanation) lines.push(`  - ${e}`);
  }
  lines.push(d.paths ? `restored: ${o.restored.join('; ') || 'nothing'}` : `restored: ${o.restored.join('; ') || 'nothing'}; ${w.role} now ${o.primariesAfterRestore.join(', ') || 'none'}`);
  for (const w of o.warnings) lines.push(`  ! ${w}`);
  lines.push(`verdict: ${d.verdict.toUpperCase()} — ${d.message ?? ''}`);
  return lines.join('\n') + '\n';
}

/** multi-path drills (issue 9): no takeover line, what the upstream saw on each path */
function describePaths(paths: readonly DrillPath[], budgetMs: number): string[] {
  const outage = (p: DrillPath): string => (p.outageMs === undefined ? 'not measured' : p.outageMs === null ? 'no answer until the end of the fault' : `outage ${p.outageMs} ms`);
  return [
    'no takeover in this design: nothing moves, the surviving path must carry on',
    ...paths.map((p) => `${p.role === 'cut' ? 'cut path      ' : 'surviving path'} ${p.target}${p.network ? ` ${p.network}` : ''}${p.host ? ` via ${p.host}` : ''}: ${outage(p)}${p.role === 'surviving' ? ` (budget ${budgetMs} ms)` : ''}`),
  ];
}

export function renderDrillJson(o: DrillOutcome): string {
  return JSON.stringify(drillJsonOf(o), null, 2) + '\n';
}

function drillJsonOf(o: DrillOutcome): object {
  return {
    drill: o.drill, finalPrimary: o.finalPrimary, flaps: o.flaps, explanation: o.explanation, restored: o.restored,
    primariesAfterRestore: o.primariesAfterRestore, ping: o.ping, garps: o.garps, clockOffsets: o.clockOffsets, warnings: o.warnings,
  };
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))]!;

/** min / median / p90 / max of the measured values; how many runs measured none */
function describeDistribution(name: string, values: (number | null | undefined)[]): string {
  const got = values.filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);
  const none = values.length - got.length;
  if (got.length === 0) return `${name}: never measured (${values.length} run(s))`;
  return `${name}: min ${got[0]} · median ${quantile(got, 0.5)} · p90 ${quantile(got, 0.9)} · max ${got[got.length - 1]} ms` + (none > 0 ? ` · ${none} run(s) without` : '');
}

/** `drill failover --repeat N`: the distribution over the runs, the verdicts, and who announced besides the winner */
export function renderDrillRepeatTable(runs: readonly DrillOutcome[]): string {
  if (runs.length > 0 && runs.every((r) => r.drill.paths)) return renderPathDrillRepeatTable(runs);
  const verdicts = new Map<string, number>();
  for (const r of runs) verdicts.set(r.drill.verdict, (verdicts.get(r.drill.verdict) ?? 0) + 1);
  const flapped = runs.filter((r) => r.flaps.length > 0);
  const losers = new Map<string, number>();
  for (const r of flapped) for (const f of r.flaps) losers.set(f.node, (losers.get(f.node) ?? 0) + 1);
  const lines = [
    `${runs.length} drill(s):`,
    `  ${describeDistribution('new primary', runs.map((r) => r.drill.newPrimaryMs))}`,
    `  ${describeDistribution('first G-ARP', runs.map((r) => r.drill.firstGarpMs))}`,
    `  ${describeDistribution('client outage', runs.map((r) => (r.ping ? r.drill.outageMs : undefined)))}`,
    `  verdicts: ${[...verdicts.entries()].map(([v, n]) => `${v.toUpperCase()} ${n}`).join(', ')}`,
    `  L2 flap in ${flapped.length}/${runs.length} run(s)${losers.size > 0 ? `: ${[...losers.entries()].map(([n, c]) => `${n} announced besides the winner ${c}×`).join(', ')}` : ''}`,
    `  winners: ${[...new Set(runs.map((r) => r.finalPrimary ?? r.drill.newPrimary ?? 'none'))].map((w) => `${w} ${runs.filter((r) => (r.finalPrimary ?? r.drill.newPrimary ?? 'none') === w).length}×`).join(', ')}`,
  ];
  const rows = runs.map((r, i) => [String(i + 1), r.drill.verdict.toUpperCase(), `${r.drill.oldPrimary ?? '?'} → ${r.finalPrimary ?? r.drill.newPrimary ?? 'none'}`,
    ms(r.drill.newPrimaryMs, 'never'), ms(r.drill.firstGarpMs, 'never'), r.ping ? ms(r.drill.outageMs, 'not recovered') : '-', r.flaps.map((f) => f.node).join(', ') || '-']);
  lines.push(renderTextTable(['#', 'verdict', 'old → new', 'new primary', 'first G-ARP', 'outage', 'flap'], rows));
  return lines.join('\n') + '\n';
}

export function renderDrillRepeatJson(runs: readonly DrillOutcome[]): string {
  return JSON.stringify({ runs: runs.map(drillJsonOf) }, null, 2) + '\n';
}

/** `--repeat N` of a multi-path drill (issue 9): each path's outage over the runs, the G-ARPs, the verdicts */
function renderPathDrillRepeatTable(runs: readonly DrillOutcome[]): string {
  const verdicts = new Map<string, number>();
  for (const r of runs) verdicts.set(r.drill.verdict, (verdicts.get(r.drill.verdict) ?? 0) + 1);
  const pathOf = (r: DrillOutcome, role: DrillPath['role']): DrillPath | undefined => r.drill.paths!.find((p) => p.role === role);
  const cutDown = runs.filter((r) => pathOf(r, 'cut')?.outageMs === null).length;
  const cutMeasured = runs.filter((r) => pathOf(r, 'cut')?.outageMs !== undefined).length;
  const lines = [
    `${runs.length} drill(s), no takeover in this design:`,
    `  ${describeDistribution('surviving path outage', runs.map((r) => pathOf(r, 'surviving')?.outageMs))}`,
    ...(cutMeasured > 0 ? [`  cut path down for the whole fault in ${cutDown}/${cutMeasured} run(s)`] : []),
    `  G-ARPs after the fault: ${runs.map((r) => r.garps.length).join(', ')}`,
    `  verdicts: ${[...verdicts.entries()].map(([v, n]) => `${v.toUpperCase()} ${n}`).join(', ')}`,
  ];
  const show = (p: DrillPath | undefined): string => (p === undefined || p.outageMs === undefined ? '-' : ms(p.outageMs, 'down'));
  const rows = runs.map((r, i) => [String(i + 1), r.drill.verdict.toUpperCase(), r.drill.fault, show(pathOf(r, 'cut')), show(pathOf(r, 'surviving')), String(r.garps.length)]);
  lines.push(renderTextTable(['#', 'verdict', 'fault', 'cut path', 'surviving path', 'G-ARPs'], rows));
  return lines.join('\n') + '\n';
}
