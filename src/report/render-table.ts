import Table from 'cli-table3';
import type { Finding } from '../engine/types';
import { formatSubject } from './format-subject';
import type { RunResult } from './result';
import type { ShownVerdict } from './summarize-result';
import { shownFindingVerdict, shownRowVerdict, VERDICT_RANK } from './summarize-result';

export interface TableOptions {
  /** ANSI colours for verdicts; default false (callers pass process.stdout.isTTY) */
  color?: boolean;
  /** leave passing rows out (the summary line still counts them) */
  failuresOnly?: boolean;
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

interface TableLine {
  check: string;
  node: string;
  where: string;
  verdict: ShownVerdict;
  reason: string;
}

/**
 * The operator's table: one line per check × subject (rows), failures first, then findings that
 * no row cites (e.g. an unreachable node), then a one-line summary.
 */
export function renderTable(result: RunResult, opts: TableOptions = {}): string {
  const lines = collectLines(result).filter((l) => !opts.failuresOnly || l.verdict !== 'pass');
  lines.sort(
    (a, b) =>
      VERDICT_RANK[b.verdict] - VERDICT_RANK[a.verdict] ||
      a.check.localeCompare(b.check) ||
      a.node.localeCompare(b.node) ||
      a.where.localeCompare(b.where),
  );
  const table = new Table({
    head: ['check', 'node', 'namespace/router', 'verdict', 'reason'],
    // no colours from cli-table3 itself: output must be identical on a TTY and in a file
    style: { head: [], border: [] },
    // no rule between body rows: a cloud has hundreds of them
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    wordWrap: false,
  });
  for (const l of lines) {
    const verdict = opts.color ? `${ANSI[l.verdict]}${l.verdict}\x1b[0m` : l.verdict;
    table.push([l.check, l.node, l.where, verdict, l.reason]);
  }
  const out: string[] = [];
  if (lines.length > 0) out.push(table.toString());
  for (const n of result.nodes.filter((x) => !x.reachable)) {
    out.push(`unreachable: ${n.name} (${n.address})${n.reason ? ` ${n.reason}` : ''}${n.message ? `: ${n.message}` : ''}`);
  }
  out.push(summaryLine(result, opts.color === true));
  return out.join('\n') + '\n';
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
  return oneLine(text, REASON_MAX);
}

export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}
