import { publicLinksOfAll } from './public-references';
import { buildReportModel, CLUSTER_ROW, type FindingView, type MatrixCell, type ReportModel } from './build-report-model';
import type { DiffEntry } from './diff-runs';
import { escapeXml as esc, escapeXmlAttr as attr } from './escape-xml';
import type { DrillResult, GarpVerification, RunResult } from '../result/run-result';
import { COLOURS, renderDrillSvg, renderGarpSvg, renderTrendSvg, seconds } from './render-svg';
import { summaryLine } from './render-table';

export interface HtmlOptions {
  /** keep the last N runs (default: all given) */
  last?: number;
  title?: string;
}

/**
 * A self-contained HTML report: inline CSS and SVG only — no script, no external font, image or
 * stylesheet — so it can be mailed, archived or opened from a file share on an isolated network.
 * Evidence sits behind <details>.
 */
export function renderHtml(input: RunResult | RunResult[], opts: HtmlOptions = {}): string {
  const m = buildReportModel(input, { last: opts.last });
  const r = m.latest;
  const title = opts.title ?? `haprobe report — ${r.profile}`;
  const body = [
    header(m, title),
    section('Trend', `last ${m.runs.length} run${m.runs.length === 1 ? '' : 's'}`, trend(m)),
    section('Nodes × routers', 'router namespaces per node, coloured by the worst verdict on them', matrix(m)),
    section('Failing findings', `${m.failing.length} in ${r.runId}`, failing(m.failing)),
    m.sincePrevious ? section('Since the previous run', `${m.sincePrevious.from.runId} → ${m.sincePrevious.to.runId}`, changes(m)) : '',
    section('Waived findings', `${m.waived.length} waived`, waived(m)),
    m.drills.length > 0 ? section('Failover drills', `${m.drills.length}`, m.drills.map(drill).join('')) : '',
    m.garp.length > 0 ? section('G-ARP verification', `${m.garp.length} floating IP${m.garp.length === 1 ? '' : 's'}`, m.garp.map(garp).join('')) : '',
    `<footer>haprobe ${esc(r.tool.version)} · ${m.runs.length} run file${m.runs.length === 1 ? '' : 's'} · latest run ${esc(r.runId)} started ${esc(r.startedAt)} · inventory ${esc(r.inventory.source)} (${esc(r.inventory.digest)})</footer>`,
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="haprobe ${attr(r.tool.version)}">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function header(m: ReportModel, title: string): string {
  const r = m.latest;
  return `<header><h1>${esc(title)}</h1>
<p class="verdict ${r.verdict}">${r.verdict === 'pass' ? 'PASS' : 'FAIL'}</p>
<p class="meta">profile <b>${esc(r.profile)}</b> · run <b>${esc(r.runId)}</b> · ${esc(r.startedAt)} · ${esc(seconds(r.durationMs))}</p>
<p class="summary">${esc(summaryLine(r))}</p></header>`;
}

function section(title: string, sub: string, content: string): string {
  const id = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return `<section id="${attr(id)}"><h2>${esc(title)} <small>${esc(sub)}</small></h2>\n${content}</section>`;
}

function trend(m: ReportModel): string {
  const rows = [...m.trend]
    .reverse()
    .map(
      (t) =>
        `<tr><td>${esc(t.startedAt)}</td><td>${esc(t.runId)}</td><td>${badge(t.verdict)}</td><td class="n">${t.summary.pass}</td><td class="n">${t.open}</td><td class="n">${t.summary.waived}</td><td class="n">${t.unreachable}</td></tr>`,
    )
    .join('');
  return `<figure class="trend">${renderTrendSvg(m.trend)}</figure>
<table class="runs"><thead><tr><th>started</th><th>run</th><th>verdict</th><th>pass</th><th>open failures</th><th>waived</th><th>unreachable</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function matrix(m: ReportModel): string {
  const { routers, rows } = m.matrix;
  if (routers.length === 0) return '<p class="empty">No router namespace or router subject in this run.</p>';
  const head = routers.map((r) => `<th title="${attr(r)}"><code>${esc(r.slice(0, 8))}</code></th>`).join('');
  const body = rows
    .map((row) => {
      const nodeCell = row.node === CLUSTER_ROW
        ? `<th scope="row" title="router-level checks without a node">${esc(row.node)}</th>`
        : `<th scope="row">${esc(row.node)}${row.reachable ? '' : ` <span class="unreachable" title="${attr(row.reason ?? '')}">unreachable${row.reason ? `: ${esc(row.reason)}` : ''}</span>`}</th>`;
      const cells = routers.map((router) => cell(row.cells[router], router, row.reachable)).join('');
      const other = row.otherNamespaces.length > 0 ? row.otherNamespaces.map((n) => `<code>${esc(n)}</code>`).join(' ') : '';
      return `<tr>${nodeCell}${cells}<td class="other">${other}</td></tr>`;
    })
    .join('');
  const legend = (['pass', 'fail', 'error', 'warn', 'waived', 'none'] as const)
    .map((v) => `<span class="key" style="background:${COLOURS[v]}"></span>${v === 'none' ? 'present, not judged' : v}`)
    .join(' ');
  return `<table class="matrix"><thead><tr><th>node \\ router</th>${head}<th>other namespaces</th></tr></thead><tbody>${body}</tbody></table>
<p class="legend">${legend} · — absent</p>`;
}

function cell(c: MatrixCell | undefined, router: string, reachable: boolean): string {
  if (!c || (c.namespaces.length === 0 && c.verdict === 'none')) {
    return `<td class="cell absent" title="${attr(`${router}: no namespace${reachable ? '' : ' (node not read)'}`)}">—</td>`;
  }
  const kinds = c.namespaces.map((n) => n.replace(/-.*$/, '')).join(' + ') || 'checked';
  const colour = COLOURS[c.verdict];
  const fg = c.verdict === 'none' || c.verdict === 'warn' ? '#263238' : '#fff';
  const tip = `${router}: ${c.namespaces.join(', ') || 'no namespace seen'} — ${c.verdict === 'none' ? 'present' : c.verdict}${c.findings ? `, ${c.findings} finding(s)` : ''}`;
  return `<td class="cell ${c.verdict}" style="background:${colour};color:${fg}" title="${attr(tip)}">${esc(kinds)}${c.findings ? ` <b>${c.findings}</b>` : ''}</td>`;
}

function failing(views: FindingView[]): string {
  if (views.length === 0) return '<p class="empty">No failing finding.</p>';
  return views.map((v) => findingBlock(v)).join('\n');
}

/** the public sources of a check's references as links (issue 13); internal design refs stay in the run file */
function referenceLinks(refs: readonly string[]): string {
  const links = publicLinksOfAll(refs).map((l) => `<a href="${attr(l.url)}">${esc(l.label)}</a>`);
  return links.length ? ` — ${links.join(', ')}` : '';
}

function findingBlock(v: FindingView, extra = ''): string {
  const f = v.finding;
  const ev = v.evidence
    .map(
      (e) =>
        `<details class="evidence"><summary><code>${esc(e.command)}</code> on ${esc(e.node)} · exit ${e.exitCode ?? 'none'} · <code>${esc(e.id)}</code></summary><pre>${esc(e.output)}</pre></details>`,
    )
    .join('');
  const missing = f.evidence.filter((id) => !v.evidence.some((e) => e.id === id));
  return `<div class="finding ${v.verdict}">
<p class="head">${badge(v.verdict)} <span class="sev ${f.severity}">${esc(f.severity)}</span> <code>${esc(f.checkId)}</code> · <span class="subject">${esc(v.subjectText)}</span></p>
<p class="msg">${esc(f.message)}</p>${v.check ? `<p class="check">${esc(v.check.title)}${referenceLinks(v.check.references)}</p>` : ''}${extra}
${f.expected !== undefined || f.actual !== undefined ? `<table class="ea"><tr><th>expected</th><td><pre>${esc(f.expected ?? '')}</pre></td></tr><tr><th>actual</th><td><pre>${esc(f.actual ?? '')}</pre></td></tr></table>` : ''}
${ev}${missing.length ? `<p class="check">evidence not recorded: ${esc(missing.join(', '))}</p>` : ''}
</div>`;
}

function changes(m: ReportModel): string {
  const d = m.sincePrevious!;
  const regressions = [...d.appeared.filter((e) => e.regressed), ...d.changed.filter((e) => e.regressed)];
  const other = [...d.appeared.filter((e) => !e.regressed), ...d.changed.filter((e) => !e.regressed)];
  const list = (entries: DiffEntry[], cls: string, what: (e: DiffEntry) => string): string =>
    entries.length === 0
      ? '<p class="empty">None.</p>'
      : `<ul class="${cls}">${entries.map((e) => `<li><code>${esc(e.checkId)}</code> · ${esc(e.subjectText)} — ${esc(what(e))}</li>`).join('')}</ul>`;
  const state = (s: DiffEntry['before']): string => (s ? `${s.verdict} ${s.severity}: ${s.messages.join('; ')}` : '');
  const nodes = [
    ...d.nodes.becameUnreachable.map((n) => `<li class="regression">node ${esc(n)} became unreachable</li>`),
    ...d.nodes.becameReachable.map((n) => `<li class="fix">node ${esc(n)} is reachable again</li>`),
  ].join('');
  return `<h3>Regressions (${regressions.length})</h3>${list(regressions, 'regressions', (e) => (e.before ? `was ${state(e.before)}; now ${state(e.after)}` : state(e.after)))}
<h3>Fixed (${d.disappeared.length})</h3>${list(d.disappeared, 'fixes', (e) => `was ${state(e.before)}`)}
${other.length ? `<h3>Other changes (${other.length})</h3>${list(other, 'other', (e) => `${e.before ? `was ${state(e.before)}; ` : ''}now ${state(e.after)}`)}` : ''}
${nodes ? `<ul>${nodes}</ul>` : ''}<p class="meta">${d.counts.unchanged} finding(s) unchanged.</p>`;
}

function waived(m: ReportModel): string {
  const blocks = m.waived
    .map((v) => {
      const w = v.finding.waived!;
      const detail = m.latest.waivers?.details?.find((d) => d.waiverId === w.waiverId);
      return findingBlock(v, `<p class="waiver">waiver <code>${esc(w.waiverId)}</code> until <b>${esc(w.expires)}</b>${detail?.owner ? ` · owner ${esc(detail.owner)}` : ''}: ${esc(w.justification)}</p>`);
    })
    .join('\n');
  const problems = m.waiverProblems
    .map((p) => `<li class="${p.status}">waiver <code>${esc(p.waiverId)}</code> (check <code>${esc(p.check)}</code>, subject <code>${esc(p.subject)}</code>): ${esc(p.note ?? p.status)}</li>`)
    .join('');
  return (blocks || '<p class="empty">No waived finding.</p>') + (problems ? `<h3>Waivers needing attention</h3><ul class="waiver-problems">${problems}</ul>` : '');
}

function drill(d: DrillResult): string {
  const facts = [
    ['fault', d.fault],
    ['primary', `${d.oldPrimary ?? '?'} → ${d.newPrimary ?? '?'}`],
    ['new primary after', d.newPrimaryMs === null ? 'never' : seconds(d.newPrimaryMs)],
    ['first G-ARP after', d.firstGarpMs === null ? 'never' : seconds(d.firstGarpMs)],
    ['outage', d.outageMs === null ? 'not recovered' : seconds(d.outageMs)],
    ['budget', seconds(d.budgetMs)],
  ];
  return `<div class="timeline drill"><h3>${badge(d.verdict)} router <code>${esc(d.router)}</code> <small>${esc(d.startedAt)}</small></h3>
${d.message ? `<p class="msg">${esc(d.message)}</p>` : ''}<dl>${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>
<figure>${renderDrillSvg(d)}</figure></div>`;
}

function garp(g: GarpVerification): string {
  const e = g.expected;
  const expected = [e.mac && `from ${e.mac}`, e.node && `on ${e.node}`, e.device && `/${e.device}`, e.count !== undefined && `× ${e.count}`, e.withinMs !== undefined && `within ${seconds(e.withinMs)}`, e.shape && `(${e.shape} shape)`]
    .filter(Boolean)
    .join(' ');
  const rows = g.timeline
    .map(
      (f) =>
        `<tr class="${f.garp ? 'garp' : 'not-garp'}"><td class="n">${f.tMs}</td><td>${esc(f.node)}/${esc(f.device)}</td><td>${esc(f.kind)}</td><td><code>${esc(f.sha)}</code></td><td>${esc(f.spa)}</td><td>${esc(f.tpa)}</td><td>${f.garp === undefined ? '' : f.garp ? 'G-ARP' : 'not a G-ARP'}${f.note ? ` — ${esc(f.note)}` : ''}</td></tr>`,
    )
    .join('');
  return `<div class="timeline garp"><h3>${badge(g.verdict)} floating IP <code>${esc(g.fip)}</code>${g.cause ? ` <small>${esc(g.cause)}</small>` : ''}</h3>
${g.message ? `<p class="msg">${esc(g.message)}</p>` : ''}<p class="meta">expected: G-ARP ${esc(expected || '(as the profile defines)')}</p>
<figure>${renderGarpSvg(g)}</figure>
<details><summary>${g.timeline.length} frame(s)</summary><table class="frames"><thead><tr><th>ms</th><th>where</th><th>op</th><th>sender MAC</th><th>sender IP</th><th>target IP</th><th></th></tr></thead><tbody>${rows}</tbody></table></details></div>`;
}

function badge(v: string): string {
  return `<span class="badge ${attr(v)}">${esc(v)}</span>`;
}

const CSS = `
:root{color-scheme:light}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#263238;background:#f5f7f8;margin:0;padding:24px 32px}
header,section,footer{max-width:1320px;margin:0 auto 18px}
section{background:#fff;border:1px solid #dfe5e8;border-radius:8px;padding:14px 18px}
h1{font-size:22px;margin:0 0 6px}
h2{font-size:17px;margin:0 0 10px}h2 small,h3 small{font-weight:normal;color:#78909c;font-size:12px;margin-left:6px}
h3{font-size:14px;margin:14px 0 6px}
code,pre{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12px}
pre{background:#263238;color:#eceff1;padding:8px 10px;border-radius:4px;overflow:auto;max-height:420px;white-space:pre-wrap;word-break:break-all;margin:4px 0}
table.ea pre{background:#f1f4f5;color:#263238;max-height:none}
.verdict{display:inline-block;font-weight:700;font-size:18px;padding:2px 14px;border-radius:4px;color:#fff;margin:4px 0}
.verdict.pass{background:${COLOURS.pass}}.verdict.fail{background:${COLOURS.fail}}
.meta,.legend,.check,.empty{color:#607d8b;margin:4px 0}
.summary{font-weight:600;margin:4px 0}
table{border-collapse:collapse}
th,td{padding:4px 8px;border-bottom:1px solid #eceff1;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
table.matrix th,table.matrix td{border:1px solid #fff}
table.matrix td.cell{min-width:110px;text-align:center;font-size:12px;border-radius:3px}
table.matrix td.absent{color:#b0bec5;background:#f5f7f8}
table.matrix td.other{font-size:11px;color:#607d8b}
.unreachable{color:${COLOURS.fail};font-weight:normal;font-size:12px}
.key{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-2px;margin:0 3px 0 10px}
.badge{display:inline-block;min-width:46px;text-align:center;border-radius:3px;padding:0 6px;font-size:12px;font-weight:600;color:#fff;background:${COLOURS.skip}}
.badge.pass{background:${COLOURS.pass}}.badge.fail{background:${COLOURS.fail}}.badge.error{background:${COLOURS.error}}
.badge.warn{background:${COLOURS.warn};color:#263238}.badge.waived{background:${COLOURS.waived}}
.finding{border-left:4px solid ${COLOURS.fail};padding:6px 12px;margin:10px 0;background:#fbfcfc}
.finding.warn{border-color:${COLOURS.warn}}.finding.waived{border-color:${COLOURS.waived}}.finding.error{border-color:${COLOURS.error}}
.finding p{margin:3px 0}.finding .msg{font-weight:600}
.sev{font-size:12px;color:#546e7a;text-transform:uppercase}.sev.critical{color:${COLOURS.fail};font-weight:700}
.subject{font-family:ui-monospace,Menlo,monospace;font-size:12px}
.waiver{color:${COLOURS.waived}}
details{margin:4px 0}summary{cursor:pointer;color:#37474f}
ul.regressions li,li.regression,li.expired{color:${COLOURS.fail}}ul.fixes li,li.fix{color:${COLOURS.pass}}li.unmatched{color:#8d6e00}
.timeline{border-top:1px solid #eceff1;padding-top:6px}
.timeline dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px;margin:6px 0}
.timeline dt{color:#607d8b}.timeline dd{margin:0}
figure{margin:6px 0;overflow-x:auto}
footer{color:#90a4ae;font-size:12px}
`;
