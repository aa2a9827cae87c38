import Table from 'cli-table3';
import type { DrillOutcome } from './drill-failover';
import { describeOffsets } from './estimate-offset';

const ms = (v: number | null, none: string): string => (v === null ? none : `${v} ms`);

/** `drill failover` output: measured timeline, the three figures against the budget, what was restored */
export function renderDrillTable(o: DrillOutcome): string {
  const d = o.drill;
  const lines = [`router ${d.router}: ${d.fault}, primary ${d.oldPrimary ?? '?'} → ${d.newPrimary ?? 'none'}`];
  const t = new Table({ head: ['t ms', 'event', 'node', 'detail'], style: { head: [], border: [] } });
  for (const e of d.events) t.push([String(e.tMs), e.kind, e.node ?? '', e.detail ?? '']);
  lines.push(t.toString());
  lines.push(`new primary after ${ms(d.newPrimaryMs, 'never')} · first G-ARP after ${ms(d.firstGarpMs, 'never')} · ping outage ${o.ping ? ms(d.outageMs, 'not recovered') : 'not measured'} · budget ${d.budgetMs} ms`);
  for (const l of describeOffsets(o.clockOffsets ?? [])) lines.push(l);
  if (o.ping) lines.push(`ping ${o.ping.fip} from ${o.ping.from}: ${o.ping.replies} replies, ${o.ping.lost} lost`);
  if (o.garps.length > 0) lines.push(`G-ARPs from qg- after the fault: ${o.garps.slice(0, 12).map((g) => `${g.node} ${g.ip} +${g.tMs}`).join(', ')}${o.garps.length > 12 ? ' …' : ''}`);
  lines.push(`restored: ${o.restored.join('; ') || 'nothing'}; primary now ${o.primariesAfterRestore.join(', ') || 'none'}`);
  for (const w of o.warnings) lines.push(`  ! ${w}`);
  lines.push(`verdict: ${d.verdict.toUpperCase()} — ${d.message ?? ''}`);
  return lines.join('\n') + '\n';
}

export function renderDrillJson(o: DrillOutcome): string {
  return JSON.stringify({ drill: o.drill, restored: o.restored, primariesAfterRestore: o.primariesAfterRestore, ping: o.ping, garps: o.garps, clockOffsets: o.clockOffsets, warnings: o.warnings }, null, 2) + '\n';
}
