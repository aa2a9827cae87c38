import Table from 'cli-table3';
import type { Finding, Subject } from '../engine/types';
import { escapeControls } from '../capture/render-text-table';
import { explainPointer, nextStepOf } from './next-step';
import { formatSubject } from './format-subject';
import type { RunResult } from '../result/run-result';
import type { ShownVerdict } from '../result/summarize-result';
import { shownFindingVerdict, shownRowVerdict, VERDICT_RANK } from '../result/summarize-result';

export interface TableOptions {
  /** ANSI colours for verdicts; default false (the CLI decides: a TTY, no NO_COLOR, no --no-color) */
  color?: boolean;
  /** also list the passing rows (every check × subject, the full table) */
  all?: boolean;
  /** leave checks whose every row passed out of the per-check lines too (the summary line still counts them) */
  failuresOnly?: boolean;
  /** neutron state_path on the nodes, for the next-step commands (default /var/lib/neutron) */
  statePath?: string;
}

const ANSI: Record<ShownVerdict, string> = {
  pass: '\x1b[32m',
  fail: '\x1b[31m',
  error: '\x1b[35m',
  warn: '\x1b[33m',
  skip: '\x1b[90m',
  waived: '\x1b[36m',
};
const REASON_MAX = 110;
const DETAIL_MAX = 200;

interface TableLine {
  check: string;
  node: string;
  where: string;
  subject: Subject;
  verdict: ShownVerdict;
  reason: string;
}

/** Verdicts counted per check, in the order the per-check lines print them. */
const COUNTED: ShownVerdict[] = ['pass', 'fail', 'warn', 'skip', 'waived', 'error'];

/**
 * The operator's view of a run (issue 13). A healthy cloud fits on one screen:
 *   1. one line per check: how many subjects it judged and how many passed, failed, warned,
 *      were skipped (waived/error columns only when the run has any), worst first;
 *   2. every non-pass row, grouped by check, failures first: the subject, the reason, and the
 *      next step (a read-only command on the node, then `haprobe explain` and the docs anchor);
 *   3. with `all`, the full table of every check × subject (pass rows too) before the details;
 *   4. unreachable nodes, then the one summary line.
 * Colour only when asked; verdicts are words as well, so nothing depends on it.
 */
export function renderTable(result: RunResult, opts: TableOptions = {}): string {
  const lines = sortLines(collectLines(result));
  const paint = (v: ShownVerdict, text: string): string => (opts.color ? `${ANSI[v]}${text}\x1b[0m` : text);
  const out: string[] = [];
  out.push(...renderCheckLines(result, lines, opts, paint));
  if (opts.all && lines.length > 0) out.push('', renderRowTable(lines, paint));
  const open = lines.filter((l) => l.verdict !== 'pass');
  if (open.length > 0) out.push('', ...renderDetails(result, open, opts, paint));
  const down = result.nodes.filter((x) => !x.reachable);
  if (down.length > 0) out.push('');
  for (const n of down) {
    out.push(escapeControls(`unreachable: ${n.name} (${n.address})${n.reason ? ` ${n.reason}` : ''}${n.message ? `: ${oneLine(n.message, DETAIL_MAX)}` : ''}`));
  }
  out.push('', summaryLine(result, opts.color === true));
  return out.join('\n') + '\n';
}

/** worst verdict first, then check, node and subject (stable for diffs of the output) */
function sortLines(lines: TableLine[]): TableLine[] {
  return lines.sort(
    (a, b) =>
      VERDICT_RANK[b.verdict] - VERDICT_RANK[a.verdict] ||
      a.check.localeCompare(b.check) ||
      a.node.localeCompare(b.node) ||
      a.where.localeCompare(b.where),
  );
}

interface CheckCounts {
  id: string;
  severity: string;
  counts: Record<ShownVerdict, number>;
  worst: ShownVerdict;
}

/** per check of the run (result.checks: the one list every count of checks comes from) */
export function countByCheck(result: RunResult, lines: TableLine[] = collectLines(result)): CheckCounts[] {
  const byId = new Map<string, CheckCounts>();
  const entry = (id: string, severity: string): CheckCounts => {
    let e = byId.get(id);
    if (!e) {
      e = { id, severity, counts: { pass: 0, fail: 0, warn: 0, skip: 0, waived: 0, error: 0 }, worst: 'pass' };
      byId.set(id, e);
    }
    return e;
  };
  for (const c of result.checks) entry(c.id, c.severity);
  for (const l of lines) {
    const e = entry(l.check, result.checks.find((c) => c.id === l.check)?.severity ?? '');
    e.counts[l.verdict] += 1;
    if (VERDICT_RANK[l.verdict] > VERDICT_RANK[e.worst]) e.worst = l.verdict;
  }
  const order = new Map(result.checks.map((c, i) => [c.id, i]));
  return [...byId.values()].sort((a, b) => VERDICT_RANK[b.worst] - VERDICT_RANK[a.worst] || (order.get(a.id) ?? 1e9) - (order.get(b.id) ?? 1e9));
}

function renderCheckLines(result: RunResult, lines: TableLine[], opts: TableOptions, paint: (v: ShownVerdict, t: string) => string): string[] {
  const all = countByCheck(result, lines);
  const shown = opts.failuresOnly ? all.filter((c) => c.worst !== 'pass') : all;
  if (shown.length === 0) return [];
  // waived and error columns only when the run has any: a healthy run reads pass/fail/warn/skip
  const columns = COUNTED.filter((v) => !(v === 'waived' || v === 'error') || all.some((c) => c.counts[v] > 0));
  const idWidth = Math.max('check'.length, ...shown.map((c) => c.id.length));
  const sevWidth = Math.max('severity'.length, ...shown.map((c) => c.severity.length));
  // two spaces between columns; numbers right-aligned under their header
  const num = (s: string | number, head = 'subjects'): string => `  ${String(s).padStart(Math.max(head.length, 4))}`;
  const head = `${'check'.padEnd(idWidth)}  ${'severity'.padEnd(sevWidth)}${num('subjects')}${columns.map((v) => num(v, v)).join('')}  verdict`;
  const out = [head];
  for (const c of shown) {
    const subjects = COUNTED.reduce((n, v) => n + c.counts[v], 0);
    out.push(`${c.id.padEnd(idWidth)}  ${c.severity.padEnd(sevWidth)}${num(subjects)}${columns.map((v) => num(c.counts[v], v)).join('')}  ${paint(c.worst, c.worst)}`);
  }
  return out;
}

/** today's full table: one line per check × subject (issue 13: only with --all) */
function renderRowTable(lines: TableLine[], paint: (v: ShownVerdict, t: string) => string): string {
  const table = new Table({
    head: ['check', 'node', 'namespace/router', 'verdict', 'reason'],
    // no colours from cli-table3 itself: output must be identical on a TTY and in a file
    style: { head: [], border: [] },
    // no rule between body rows: a cloud has hundreds of them
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    wordWrap: false,
  });
  for (const l of lines) table.push([l.check, l.node, escapeControls(l.where), paint(l.verdict, l.verdict), escapeControls(oneLine(l.reason, REASON_MAX))]);
  return table.toString();
}

/** every non-pass row, grouped by check (worst check first), with its reason and the next step */
function renderDetails(result: RunResult, open: TableLine[], opts: TableOptions, paint: (v: ShownVerdict, t: string) => string): string[] {
  const addressOf = new Map(result.nodes.map((n) => [n.name, n.address]));
  const groups = new Map<string, TableLine[]>();
  for (const l of open) groups.set(l.check, [...(groups.get(l.check) ?? []), l]);
  const out: string[] = [];
  for (const [check, rows] of groups) {
    const tally = COUNTED.filter((v) => v !== 'pass')
      .map((v) => [v, rows.filter((r) => r.verdict === v).length] as const)
      .filter(([, n]) => n > 0)
      .map(([v, n]) => paint(v, `${n} ${v}`))
      .join(', ');
    out.push(`${check}: ${tally} — ${explainPointer(check)}`);
    for (const r of rows) {
      const subject = formatSubject(r.subject);
      // data (subject, reason) is escaped before the colour codes are added around the verdict
      const text = escapeControls(`${subject === 'cloud' ? '' : `${oneLine(subject, DETAIL_MAX)}: `}${oneLine(r.reason || '(no reason recorded)', DETAIL_MAX)}`);
      out.push(`  ${paint(r.verdict, r.verdict.padEnd(6))} ${text}`);
      const step = r.verdict === 'waived' ? undefined : nextStepOf({ checkId: r.check, subject: r.subject, address: r.subject.node ? addressOf.get(r.subject.node) : undefined, statePath: opts.statePath });
      if (step) out.push(escapeControls(`         → ${step}`));
    }
  }
  return out;
}

/** "12 checks · 40 pass · 2 fail · 1 waived · nodes: 3/4 reachable · FAIL" */
export function summaryLine(result: RunResult, color = false): string {
  const s = result.summary;
  const parts = [`${result.checks.length} checks`, `${s.pass} pass`, `${s.fail} fail`];
  if (s.warn) parts.push(`${s.warn} warn`);
  if (s.error) parts.push(`${s.error} error`);
  if (s.skip) parts.push(`${s.skip} skip`);
  if (s.waived) parts.push(`${s.waived} waived`);
  const reached = result.nodes.filter((n) => n.reachable).length;
  parts.push(`nodes: ${reached}/${result.nodes.length} reachable`);
  const verdict = result.verdict.toUpperCase();
  parts.push(color ? `${ANSI[result.verdict]}${verdict}\x1b[0m` : verdict);
  return parts.join(' · ');
}

function collectLines(result: RunResult): TableLine[] {
  const cited = new Set<number>();
  const lines: TableLine[] = result.rows.map((row) => {
    row.findingIndexes.forEach((i) => cited.add(i));
    const findings = row.findingIndexes.map((i) => result.findings[i]).filter((f): f is Finding => !!f);
    return {
      check: row.checkId,
      node: row.subject.node ?? '',
      where: whereOf(row.subject),
      subject: row.subject,
      verdict: shownRowVerdict(result, row),
      reason: reasonOf(findings),
    };
  });
  result.findings.forEach((f, i) => {
    if (cited.has(i)) return;
    lines.push({
      check: f.checkId,
      node: f.subject.node ?? '',
      where: whereOf(f.subject),
      subject: f.subject,
      verdict: shownFindingVerdict(f),
      reason: reasonOf([f]),
    });
  });
  return lines;
}

function whereOf(subject: RunResult['rows'][number]['subject']): string {
  const s = formatSubject({ ...subject, node: undefined });
  return s === 'cloud' ? '' : s;
}

/** first finding's message on one line; a waived one says until when and why */
function reasonOf(findings: Finding[]): string {
  const open = findings.filter((f) => f.verdict !== 'pass');
  const first = open.find((f) => !f.waived) ?? open[0];
  if (!first) return '';
  let text = first.waived
    ? `waived until ${first.waived.expires}: ${first.waived.justification} (${first.message})`
    : first.message;
  if (open.length > 1) text += ` (+${open.length - 1} more)`;
  return oneLine(text, DETAIL_MAX);
}

export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}
