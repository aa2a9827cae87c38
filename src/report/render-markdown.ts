import { publicLinksOfAll } from './public-references';
import { buildReportModel, CLUSTER_ROW, type FindingView, type MatrixCell, type ReportModel } from './build-report-model';
import type { DiffEntry, FindingState } from './diff-runs';
import { escapeXml } from './escape-xml';
import type { DrillResult, GarpVerification, RunResult } from '../result/run-result';
import { seconds } from './render-svg';
import { summaryLine } from './render-table';
import type { ShownVerdict } from '../result/summarize-result';

const MARK: Record<ShownVerdict | 'none', string> = { pass: '✔', fail: '✘', error: '‼', warn: '⚠', waived: '⊘', skip: '·', none: '○' };
const SPARK = '▁▂▃▄▅▆▇█';

/**
 * The report as GitHub-flavoured Markdown (for a wiki page, a merge request or a ticket): the same
 * sections as the HTML report, timelines as tables, evidence behind <details>.
 */
export function renderMarkdown(input: RunResult | RunResult[], opts: { last?: number; title?: string } = {}): string {
  const m = buildReportModel(input, { last: opts.last });
  const r = m.latest;
  const out: string[] = [];
  out.push(`# ${inline(opts.title ?? `haprobe report — ${r.profile}`)}`, '');
  out.push(`**${r.verdict.toUpperCase()}** · profile \`${code(r.profile)}\` · run \`${code(r.runId)}\` · ${r.startedAt} · ${seconds(r.durationMs)}`, '');
  out.push(summaryLine(r), '');
  out.push(...trend(m), ...matrix(m), ...failing(m), ...changes(m), ...waived(m), ...drills(m.drills), ...garps(m.garp));
  out.push('---', `haprobe ${inline(r.tool.version)} · ${m.runs.length} run file(s) · inventory \`${code(r.inventory.source)}\` (${inline(r.inventory.digest)})`, '');
  return out.join('\n');
}

function trend(m: ReportModel): string[] {
  const max = Math.max(1, ...m.trend.map((t) => t.open));
  const spark = m.trend.map((t) => SPARK[Math.round((t.open / max) * (SPARK.length - 1))]).join('');
  const rows = [...m.trend].reverse().map((t) => row([t.startedAt, `\`${code(t.runId)}\``, `${MARK[t.verdict]} ${t.verdict}`, t.summary.pass, t.open, t.summary.waived, t.unreachable]));
  return [
    `## Trend (last ${m.runs.length} run${m.runs.length === 1 ? '' : 's'})`, '',
    `\`${spark}\` unwaived failures per run, oldest first (max ${max})`, '',
    row(['started', 'run', 'verdict', 'pass', 'open failures', 'waived', 'unreachable']),
    row(['---', '---', '---', '--:', '--:', '--:', '--:']),
    ...rows, '',
  ];
}

function matrix(m: ReportModel): string[] {
  const { routers, rows } = m.matrix;
  const out = ['## Nodes × routers', ''];
  if (routers.length === 0) return [...out, 'No router namespace or router subject in this run.', ''];
  out.push(row(['node \\ router', ...routers.map((r) => `\`${r.slice(0, 8)}\``), 'other namespaces']));
  out.push(row(['---', ...routers.map(() => ':-:'), '---']));
  for (const mr of rows) {
    const name = mr.node === CLUSTER_ROW ? mr.node : `${mr.node}${mr.reachable ? '' : ` (unreachable${mr.reason ? `: ${mr.reason}` : ''})`}`;
    out.push(row([name, ...routers.map((r) => cell(mr.cells[r])), mr.otherNamespaces.map((n) => `\`${code(n)}\``).join(' ')]));
  }
  out.push('', `${MARK.pass} pass · ${MARK.fail} fail · ${MARK.error} error · ${MARK.warn} warn · ${MARK.waived} waived · ${MARK.none} present, not judged · — absent. Routers: ${routers.map((r) => `\`${r}\``).join(', ')}`, '');
  return out;
}

function cell(c: MatrixCell | undefined): string {
  if (!c || (c.namespaces.length === 0 && c.verdict === 'none')) return '—';
  const kinds = c.namespaces.map((n) => n.replace(/-.*$/, '')).join('+') || 'checked';
  return `${MARK[c.verdict]} ${kinds}${c.findings ? ` (${c.findings})` : ''}`;
}

function failing(m: ReportModel): string[] {
  const out = [`## Failing findings (${m.failing.length})`, ''];
  if (m.failing.length === 0) return [...out, 'No failing finding.', ''];
  for (const v of m.failing) out.push(...finding(v));
  return out;
}

function finding(v: FindingView, extra: string[] = []): string[] {
  const f = v.finding;
  const out = [`### ${MARK[v.verdict]} ${v.verdict} · ${f.severity} · \`${code(f.checkId)}\` · ${inline(v.subjectText)}`, '', `**${inline(f.message)}**`, ''];
  if (v.check) {
    // public sources only (issue 13): the run file's internal design refs are not for the reader
    const links = publicLinksOfAll(v.check.references).map((l) => `[${inline(l.label)}](${l.url})`);
    out.push(`${inline(v.check.title)}${links.length ? ` — ${links.join(', ')}` : ''}`, '');
  }
  out.push(...extra);
  if (f.expected !== undefined) out.push('expected:', '', ...fence(f.expected), '');
  if (f.actual !== undefined) out.push('actual:', '', ...fence(f.actual), '');
  for (const e of v.evidence) {
    out.push('<details>', `<summary>evidence ${escapeXml(e.id)}: ${escapeXml(e.command)} on ${escapeXml(e.node)} (exit ${e.exitCode ?? 'none'})</summary>`, '', ...fence(e.output), '', '</details>', '');
  }
  return out;
}

function changes(m: ReportModel): string[] {
  const d = m.sincePrevious;
  if (!d) return [];
  const regressions = [...d.appeared, ...d.changed].filter((e) => e.regressed);
  const other = [...d.appeared, ...d.changed].filter((e) => !e.regressed);
  const line = (e: DiffEntry, text: string): string => `- \`${code(e.checkId)}\` · ${inline(e.subjectText)} — ${inline(text)}`;
  const out = [`## Since the previous run (\`${code(d.from.runId)}\` → \`${code(d.to.runId)}\`)`, ''];
  out.push(`### Regressions (${regressions.length + d.nodes.becameUnreachable.length})`, '');
  out.push(...regressions.map((e) => line(e, e.before ? `was ${state(e.before)}; now ${state(e.after)}` : state(e.after))));
  out.push(...d.nodes.becameUnreachable.map((n) => `- node ${inline(n)} became unreachable`));
  if (regressions.length + d.nodes.becameUnreachable.length === 0) out.push('None.');
  out.push('', `### Fixed (${d.disappeared.length + d.nodes.becameReachable.length})`, '');
  out.push(...d.disappeared.map((e) => line(e, `was ${state(e.before)}`)));
  out.push(...d.nodes.becameReachable.map((n) => `- node ${inline(n)} is reachable again`));
  if (d.disappeared.length + d.nodes.becameReachable.length === 0) out.push('None.');
  if (other.length) out.push('', `### Other changes (${other.length})`, '', ...other.map((e) => line(e, `${e.before ? `was ${state(e.before)}; ` : ''}now ${state(e.after)}`)));
  out.push('', `${d.counts.unchanged} finding(s) unchanged.`, '');
  return out;
}

function state(s: FindingState | undefined): string {
  return s ? `${s.verdict} ${s.severity}: ${s.messages.join('; ')}` : '';
}

function waived(m: ReportModel): string[] {
  const out = [`## Waived findings (${m.waived.length})`, ''];
  if (m.waived.length === 0) out.push('No waived finding.', '');
  else {
    out.push(row(['check', 'subject', 'finding', 'waiver', 'until', 'owner', 'justification']), row(['---', '---', '---', '---', '---', '---', '---']));
    for (const v of m.waived) {
      const w = v.finding.waived!;
      const owner = m.latest.waivers?.details?.find((d) => d.waiverId === w.waiverId)?.owner ?? '';
      out.push(row([`\`${code(v.finding.checkId)}\``, v.subjectText, v.finding.message, `\`${code(w.waiverId)}\``, w.expires, owner, w.justification]));
    }
    out.push('');
  }
  if (m.waiverProblems.length) {
    out.push('### Waivers needing attention', '');
    out.push(...m.waiverProblems.map((p) => `- waiver \`${code(p.waiverId)}\` (check \`${code(p.check)}\`, subject \`${code(p.subject)}\`): ${inline(p.note ?? p.status)}`), '');
  }
  return out;
}

function drills(list: DrillResult[]): string[] {
  if (list.length === 0) return [];
  const out = ['## Failover drills', ''];
  for (const d of list) {
    out.push(`### ${MARK[d.verdict]} ${d.verdict} · router \`${code(d.router)}\` · ${d.startedAt}`, '');
    if (d.message) out.push(inline(d.message), '');
    const ms = (v: number | null, never: string): string => (v === null ? never : seconds(v));
    out.push(
      `fault ${inline(d.fault)} · primary ${inline(d.oldPrimary ?? '?')} → ${inline(d.newPrimary ?? '?')} · new primary after ${ms(d.newPrimaryMs, 'never')} · first G-ARP after ${ms(d.firstGarpMs, 'never')} · outage ${ms(d.outageMs, 'not recovered')} · budget ${seconds(d.budgetMs)}`,
      '',
      row(['t', 'event', 'node', 'detail']),
      row(['--:', '---', '---', '---']),
      ...[...d.events].sort((a, b) => a.tMs - b.tMs).map((e) => row([seconds(e.tMs), e.kind, e.node ?? '', e.detail ?? ''])),
      '',
    );
  }
  return out;
}

function garps(list: GarpVerification[]): string[] {
  if (list.length === 0) return [];
  const out = ['## G-ARP verification', ''];
  for (const g of list) {
    const e = g.expected;
    out.push(`### ${MARK[g.verdict]} ${g.verdict} · floating IP \`${code(g.fip)}\`${g.cause ? ` · ${inline(g.cause)}` : ''}`, '');
    if (g.message) out.push(inline(g.message), '');
    const exp = [e.mac && `from ${e.mac}`, e.node && `on ${e.node}`, e.device && `/${e.device}`, e.count !== undefined && `× ${e.count}`, e.withinMs !== undefined && `within ${seconds(e.withinMs)}`, e.shape && `(${e.shape} shape)`].filter(Boolean).join(' ');
    out.push(`expected: G-ARP ${inline(exp || '(as the profile defines)')}`, '');
    out.push(row(['ms', 'where', 'op', 'sender MAC', 'sender IP', 'target IP', '']), row(['--:', '---', '---', '---', '---', '---', '---']));
    out.push(...g.timeline.map((f) => row([f.tMs, `${f.node}/${f.device}`, f.kind, f.sha, f.spa, f.tpa, `${f.garp === undefined ? '' : f.garp ? 'G-ARP' : 'not a G-ARP'}${f.note ? ` — ${f.note}` : ''}`])), '');
  }
  return out;
}

/** one table row; cells are made single-line and pipes escaped */
function row(cells: (string | number)[]): string {
  return `| ${cells.map((c) => inline(String(c)).replace(/\|/g, '\\|')).join(' | ')} |`;
}

/** single line, no raw HTML, visible control characters */
function inline(text: string): string {
  return visible(text).replace(/\s*\n\s*/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** inside `code spans`: backticks would end the span */
function code(text: string): string {
  return visible(text).replace(/`/g, "'").replace(/\n/g, ' ');
}

/** a fence longer than any backtick run in the text */
function fence(text: string): string[] {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((s) => s.length));
  const f = '`'.repeat(longest + 1);
  return [f, visible(text).replace(/\n$/, ''), f];
}

function visible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
