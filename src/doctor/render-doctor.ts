import { renderTextTable } from '../capture/render-text-table';
import { EXIT, type ExitCode } from '../exit-codes';
import type { DoctorReport, DoctorStatus } from './types';

const MARK: Record<DoctorStatus, string> = { ok: 'ok', warn: 'WARN', fail: 'FAIL', skip: 'skip' };
const COLOR: Record<DoctorStatus, string> = { ok: '\x1b[32m', warn: '\x1b[33m', fail: '\x1b[31m', skip: '\x1b[2m' };

/**
 * The doctor table (renderTextTable, the plain style of haprobe's tables): one row per node and
 * check, the fix under a warn/fail row's detail as "→ fix". Then one summary line.
 * Colour only on the status word (the table escapes control characters in cells, so it is added
 * after layout by padding-neutral replacement).
 */
export function renderDoctorTable(report: DoctorReport, opts: { color?: boolean } = {}): string {
  const rows: string[][] = [];
  for (const r of report.rows) {
    rows.push([r.node, r.check, MARK[r.status], r.detail]);
    if (r.fix) rows.push(['', '', '', `→ fix: ${r.fix}`]);
  }
  let table = renderTextTable(['node', 'check', 'status', 'detail'], rows);
  if (opts.color) {
    table = table.replace(/│ (ok|WARN|FAIL|skip)( +)│/g, (_m, word: string, pad: string) => {
      const status = (Object.keys(MARK) as DoctorStatus[]).find((k) => MARK[k] === word)!;
      return `│ ${COLOR[status]}${word}\x1b[0m${pad}│`;
    });
  }
  return `${table}\n${summarizeDoctor(report)}\n`;
}

export function summarizeDoctor(report: DoctorReport): string {
  const count = (s: DoctorStatus): number => report.rows.filter((r) => r.status === s).length;
  const unreachable = report.nodes.filter((n) => !n.reachable).length;
  return `doctor: ${report.nodes.length} node(s)${unreachable ? `, ${unreachable} unreachable` : ''}: ${count('ok')} ok, ${count('warn')} warn, ${count('fail')} fail, ${count('skip')} skip (${(report.durationMs / 1000).toFixed(1)} s)`;
}

export function renderDoctorJson(report: DoctorReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

/** exit codes as for `run`: 1 when a reachable node has a failing item, 3 when the only failures are unreachable nodes */
export function doctorExitCode(report: DoctorReport): ExitCode {
  const failing = report.rows.filter((r) => r.status === 'fail');
  if (failing.some((r) => r.check !== 'ssh')) return EXIT.FINDINGS;
  if (failing.length > 0) return EXIT.UNREACHABLE;
  return EXIT.OK;
}
