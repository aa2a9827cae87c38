import { HaprobeError } from '../errors';
import type { RunDiff } from './diff-runs';
import { renderDiffJson, renderDiffTable } from './render-diff';
import { renderHtml } from './render-html';
import { renderJson } from './render-json';
import { renderJunit } from './render-junit';
import { renderMarkdown } from './render-markdown';
import { renderPrometheus } from './render-prometheus';
import { renderTable } from './render-table';
import type { RunResult } from '../result/run-result';

/** What a reporter renders: one run (`run`, `analyze`, `merge`), a history of runs (`report`), two runs compared (`diff`). */
export interface ReportInputs {
  run: RunResult;
  history: RunResult[];
  diff: RunDiff;
}
export type ReportInputKind = keyof ReportInputs;

/** Every option any reporter reads; each takes the ones it knows and ignores the rest. */
export interface RenderOptions {
  /** table: ANSI colours (wantsColor in cli/commands/run.ts decides) */
  color?: boolean;
  /** run table: passing rows too */
  all?: boolean;
  /** run table: leave checks whose every subject passed out */
  failuresOnly?: boolean;
  /** run table: neutron state_path in the next steps */
  statePath?: string;
  /** html/md report title */
  title?: string;
  /** prometheus: per-subject haprobe_check_status series */
  prometheusSubjects?: 'all' | 'failing' | 'none';
}

type Reporter = {
  [K in ReportInputKind]: {
    input: K;
    format: string;
    /** false: not a --format choice (written to its own file by its own flag, e.g. --prometheus) */
    stdout: boolean;
    render(value: ReportInputs[K], opts: RenderOptions): string;
  };
}[ReportInputKind];

/**
 * The output formats, one row each: what it renders, its --format name, its renderer. The
 * commands read their --format choices (formatsFor) and render (renderReport) from this one
 * table instead of switching on the format themselves. Order = the order of the choices in --help.
 */
export const REPORTERS: readonly Reporter[] = [
  { input: 'run', format: 'table', stdout: true, render: (r, o) => renderTable(r, { color: o.color, all: o.all, failuresOnly: o.failuresOnly, statePath: o.statePath }) },
  { input: 'run', format: 'json', stdout: true, render: (r) => renderJson(r) },
  { input: 'run', format: 'junit', stdout: true, render: (r) => renderJunit(r) },
  { input: 'run', format: 'prometheus', stdout: false, render: (r, o) => renderPrometheus(r, { subjects: o.prometheusSubjects }) },
  { input: 'history', format: 'html', stdout: true, render: (runs, o) => renderHtml(runs, { title: o.title }) },
  { input: 'history', format: 'md', stdout: true, render: (runs, o) => renderMarkdown(runs, { title: o.title }) },
  { input: 'diff', format: 'table', stdout: true, render: (d, o) => renderDiffTable(d, { color: o.color }) },
  { input: 'diff', format: 'json', stdout: true, render: (d) => renderDiffJson(d) },
];

/** the --format choices of a command that renders this input, in table order */
export function formatsFor(input: ReportInputKind): string[] {
  return REPORTERS.filter((r) => r.input === input && r.stdout).map((r) => r.format);
}

/** renders with the reporter of (input, format); a format the table lacks is a usage error (commander refuses it first) */
export function renderReport<K extends ReportInputKind>(input: K, format: string, value: ReportInputs[K], opts: RenderOptions = {}): string {
  const reporter = REPORTERS.find((r) => r.input === input && r.format === format) as
    | { render(value: ReportInputs[K], opts: RenderOptions): string }
    | undefined;
  if (!reporter) throw new HaprobeError('usage', `unknown format "${format}"`, { where: '--format', hint: `one of ${formatsFor(input).join(', ')}` });
  return reporter.render(value, opts);
}
