import type { TrendPoint } from './build-report-model';
import { escapeXml as esc, escapeXmlAttr as attr } from './escape-xml';
import type { DrillResult, GarpVerification } from '../result/run-result';
import type { ShownVerdict } from '../result/summarize-result';

/** Verdict colours shared by the HTML report and its SVGs. */
export const COLOURS: Record<ShownVerdict | 'none', string> = {
  pass: '#2e7d32',
  fail: '#c62828',
  error: '#6a1b9a',
  warn: '#ef8f00',
  waived: '#00838f',
  skip: '#757575',
  none: '#cfd8dc',
};

const FONT = 'font-family="system-ui, sans-serif" font-size="11"';

/** Bars, one per run, oldest left: height = unwaived failures, colour = run verdict. */
export function renderTrendSvg(trend: TrendPoint[]): string {
  const barW = 30;
  const gap = 14;
  const left = 34;
  const top = 12;
  const plotH = 80;
  const width = Math.max(360, left + trend.length * (barW + gap) + 10);
  const height = top + plotH + 34;
  const max = Math.max(1, ...trend.map((t) => t.open));
  const parts: string[] = [];
  parts.push(`<line x1="${left - 4}" y1="${top + plotH}" x2="${width - 4}" y2="${top + plotH}" stroke="#90a4ae"/>`);
  parts.push(`<text x="${left - 8}" y="${top + 8}" text-anchor="end" ${FONT} fill="#546e7a">${max}</text>`);
  parts.push(`<text x="${left - 8}" y="${top + plotH}" text-anchor="end" ${FONT} fill="#546e7a">0</text>`);
  trend.forEach((t, i) => {
    const x = left + i * (barW + gap);
    const h = t.open === 0 ? 4 : Math.max(6, (t.open / max) * plotH);
    const colour = t.verdict === 'pass' ? COLOURS.pass : COLOURS.fail;
    const tip = `${t.runId} ${t.startedAt}: ${t.verdict.toUpperCase()}, ${t.open} open failure(s), ${t.summary.waived} waived, ${t.unreachable} unreachable node(s)`;
    parts.push(
      `<g class="run"><title>${esc(tip)}</title>` +
        `<rect x="${x}" y="${top + plotH - h}" width="${barW}" height="${h}" rx="2" fill="${colour}"/>` +
        (t.open > 0 ? `<text x="${x + barW / 2}" y="${top + plotH - h - 3}" text-anchor="middle" ${FONT} fill="#263238">${t.open}</text>` : '') +
        `<text x="${x + barW / 2}" y="${top + plotH + 14}" text-anchor="middle" ${FONT} fill="#546e7a">${esc(t.startedAt.slice(5, 10))}</text></g>`,
    );
  });
  parts.push(`<text x="${left}" y="${height - 4}" ${FONT} fill="#546e7a">unwaived failures per run (green: run passed)</text>`);
  return svg(width, height, 'Trend of unwaived failures per run', parts);
}

/** Failover drill on a time axis from the fault: outage band, budget line, one marker per event. */
export function renderDrillSvg(d: DrillResult): string {
  const width = 900;
  const left = 20;
  const right = 20;
  const axisY = 130;
  // the axis covers the failover itself; a late "restored" (often 30 s+) is pinned to the right edge
  const times = d.events.filter((e) => e.kind !== 'restored').map((e) => e.tMs);
  const t0 = Math.min(0, ...times);
  const t1 = Math.max(d.budgetMs, ...times, 1) * 1.08;
  const x = (t: number): number => left + ((Math.min(t, t1) - t0) / (t1 - t0)) * (width - left - right);
  const parts: string[] = [];
  const lost = d.events.find((e) => e.kind === 'ping-lost')?.tMs;
  const back = d.events.find((e) => e.kind === 'ping-recovered')?.tMs;
  if (lost !== undefined) {
    const end = back ?? t1;
    parts.push(
      `<rect class="outage" x="${x(lost)}" y="${axisY - 95}" width="${Math.max(1, x(end) - x(lost))}" height="95" fill="${COLOURS.fail}" fill-opacity="0.12"><title>${esc(
        `outage ${d.outageMs === null ? 'not recovered' : seconds(d.outageMs)}`,
      )}</title></rect>`,
    );
  }
  parts.push(axis(x, t0, t1, axisY, width - right));
  const bx = x(d.budgetMs);
  parts.push(`<line x1="${bx}" y1="${axisY - 100}" x2="${bx}" y2="${axisY}" stroke="#37474f" stroke-dasharray="4 3"/>`);
  parts.push(`<text x="${bx - 4}" y="${axisY - 102}" text-anchor="end" ${FONT} fill="#37474f">budget ${seconds(d.budgetMs)}</text>`);
  const lanes: number[] = [];
  for (const e of [...d.events].sort((a, b) => a.tMs - b.tMs)) {
    const ex = x(e.tMs);
    const label = `${e.kind} ${seconds(e.tMs)}${e.node ? ` (${e.node})` : ''}`;
    const labelW = label.length * 6.2 + 10;
    const lane = pickLane(lanes, ex, labelW, 4);
    const ly = axisY - 18 - lane * 18;
    // a label that would run off the right edge is drawn leftwards of its marker
    const flip = ex + labelW > width;
    const colour = EVENT_COLOURS[e.kind] ?? '#37474f';
    parts.push(
      `<g class="event"><title>${esc(`${e.kind} at ${e.tMs} ms${e.node ? ` on ${e.node}` : ''}${e.detail ? `: ${e.detail}` : ''}`)}</title>` +
        `<line x1="${ex}" y1="${ly + 3}" x2="${ex}" y2="${axisY}" stroke="${colour}" stroke-width="1"/>` +
        `<circle cx="${ex}" cy="${axisY}" r="4.5" fill="${colour}"/>` +
        `<text x="${flip ? ex - 3 : ex + 3}" y="${ly}"${flip ? ' text-anchor="end"' : ''} ${FONT} fill="${colour}">${esc(label)}</text></g>`,
    );
  }
  return svg(width, axisY + 26, `Failover drill timeline for router ${d.router}`, parts);
}

/** Frames seen after the trigger, one lane per node/device; green = a G-ARP from the expected MAC. */
export function renderGarpSvg(g: GarpVerification): string {
  const width = 900;
  const labelW = 150;
  const laneH = 34;
  const laneKeys = [...new Set(g.timeline.map((f) => `${f.node}/${f.device}`))];
  if (laneKeys.length === 0) laneKeys.push(g.expected.node ? `${g.expected.node}/${g.expected.device ?? '?'}` : '(no frame)');
  const top = 18;
  const axisY = top + laneKeys.length * laneH + 6;
  const t1 = Math.max(g.expected.withinMs ?? 0, ...g.timeline.map((f) => f.tMs), 1) * 1.1;
  const x = (t: number): number => labelW + (t / t1) * (width - labelW - 20);
  const parts: string[] = [];
  laneKeys.forEach((k, i) => {
    const y = top + i * laneH + laneH / 2;
    parts.push(`<text x="${labelW - 8}" y="${y + 4}" text-anchor="end" ${FONT} fill="#37474f">${esc(k)}</text>`);
    parts.push(`<line x1="${labelW}" y1="${y}" x2="${width - 20}" y2="${y}" stroke="#eceff1"/>`);
  });
  parts.push(axis(x, 0, t1, axisY, width - 20, labelW));
  if (g.expected.withinMs !== undefined) {
    const dx = x(g.expected.withinMs);
    parts.push(`<line x1="${dx}" y1="${top - 6}" x2="${dx}" y2="${axisY}" stroke="#37474f" stroke-dasharray="4 3"/>`);
    parts.push(`<text x="${dx + 3}" y="${top - 8}" ${FONT} fill="#37474f">deadline ${seconds(g.expected.withinMs)}</text>`);
  }
  for (const f of g.timeline) {
    const lane = laneKeys.indexOf(`${f.node}/${f.device}`);
    const y = top + lane * laneH + laneH / 2;
    const good = f.garp === true && (!g.expected.mac || f.sha.toLowerCase() === g.expected.mac.toLowerCase());
    const colour = good ? COLOURS.pass : COLOURS.fail;
    const tip = `${f.tMs} ms ${f.node}/${f.device} ARP ${f.kind} sha ${f.sha} spa ${f.spa} tpa ${f.tpa}${f.garp === false ? ' (not a G-ARP)' : ''}${f.note ? `: ${f.note}` : ''}`;
    parts.push(
      `<g class="frame"><title>${esc(tip)}</title><circle cx="${x(f.tMs)}" cy="${y}" r="5" fill="${colour}"/>` +
        `<text x="${x(f.tMs)}" y="${y + 16}" text-anchor="middle" ${FONT} fill="${colour}">${esc(f.spa === f.tpa ? 'G-ARP' : `spa ${f.spa}`)}</text></g>`,
    );
  }
  return svg(width, axisY + 26, `G-ARP timeline for ${g.fip}`, parts);
}

const EVENT_COLOURS: Record<string, string> = {
  fault: '#c62828',
  'ping-lost': '#ef6c00',
  'new-primary': '#1565c0',
  'first-garp': '#2e7d32',
  'ping-recovered': '#2e7d32',
  restored: '#546e7a',
  'bfd-down': '#6a1b9a',
  'path-down': '#6a1b9a',
};

function svg(width: number, height: number, label: string, parts: string[]): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${attr(label)}">` +
    parts.join('') +
    '</svg>'
  );
}

function axis(x: (t: number) => number, t0: number, t1: number, y: number, xEnd: number, xStart = x(t0)): string {
  const step = niceStep((t1 - t0) / 8);
  const out = [`<line x1="${xStart}" y1="${y}" x2="${xEnd}" y2="${y}" stroke="#90a4ae"/>`];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
    out.push(`<line x1="${x(t)}" y1="${y}" x2="${x(t)}" y2="${y + 4}" stroke="#90a4ae"/>`);
    out.push(`<text x="${x(t)}" y="${y + 16}" text-anchor="middle" ${FONT} fill="#78909c">${esc(seconds(t))}</text>`);
  }
  return out.join('');
}

function niceStep(raw: number): number {
  const pow = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

/** first lane whose previous label ends left of x; else the least recently used one */
function pickLane(lanes: number[], x: number, width: number, max: number): number {
  for (let i = 0; i < max; i++) {
    if (lanes[i] === undefined || lanes[i] < x) {
      lanes[i] = x + width;
      return i;
    }
  }
  const i = lanes.indexOf(Math.min(...lanes));
  lanes[i] = x + width;
  return i;
}

export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(s < 10 ? 2 : 1)} s`;
}
