import Table from 'cli-table3';
import type { DiffEntry, FindingState, RunDiff } from './diff-runs';
import { oneLine } from './render-table';

/** `haprobe diff --format table`: one line per appeared / changed / disappeared finding, then counts. */
export function renderDiffTable(diff: RunDiff, opts: { color?: boolean } = {}): string {
  const paint = (code: string, text: string): string => (opts.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const out = [`${diff.from.runId} (${diff.from.startedAt}, ${diff.from.verdict}) → ${diff.to.runId} (${diff.to.startedAt}, ${diff.to.verdict})`];
  const lines: [string, DiffEntry][] = [
    ...diff.appeared.map((e): [string, DiffEntry] => [e.regressed ? paint('31', 'appeared') : 'appeared', e]),
    ...diff.changed.map((e): [string, DiffEntry] => [e.regressed ? paint('31', 'worse') : 'changed', e]),
    ...diff.disappeared.map((e): [string, DiffEntry] => [paint('32', 'fixed'), e]),
  ];
  if (lines.length > 0) {
    const table = new Table({
      head: ['change', 'check', 'subject', 'before', 'after'],
      style: { head: [], border: [] },
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    });
    for (const [change, e] of lines) table.push([change, e.checkId, e.subjectText, describeState(e.before), describeState(e.after)]);
    out.push(table.toString());
  }
  for (const n of diff.nodes.becameUnreachable) out.push(paint('31', `node ${n} became unreachable`));
  for (const n of diff.nodes.becameReachable) out.push(`node ${n} is reachable again`);
  const c = diff.counts;
  out.push(`${c.appeared} appeared · ${c.disappeared} fixed · ${c.changed} changed · ${c.unchanged} unchanged · ${c.regressed} regressed`);
  return out.join('\n') + '\n';
}

/** `haprobe diff --format json`: the RunDiff itself. */
export function renderDiffJson(diff: RunDiff): string {
  return JSON.stringify(diff, null, 2) + '\n';
}

function describeState(s: FindingState | undefined): string {
  if (!s) return '—';
  const msg = s.messages.length > 1 ? `${s.messages[0]} (+${s.messages.length - 1})` : (s.messages[0] ?? '');
  return oneLine(`${s.verdict} ${s.severity}: ${msg}`, 70);
}
