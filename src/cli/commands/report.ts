import { InvalidArgumentError, Option, type Command } from 'commander';
import { HaprobeError } from '../../errors';
import { applyWaivers } from '../../report/apply-waivers';
import { listHistory } from '../../report/list-history';
import { loadWaivers } from '../../report/load-waivers';
import { formatsFor, renderReport } from '../../report/reporters';
import { writeFileAtomic } from '../../report/write-file-atomic';
import { checkOutputFile, parseFileMode } from '../options';

export interface ReportCommandOptions {
  history: string;
  format?: 'html' | 'md';
  out?: string;
  last: number;
  waivers?: string;
  title?: string;
  fileMode?: string;
}

/**
 * `haprobe report --history DIR`: HTML or Markdown from saved run files only (never the cloud).
 * Exit 0 when the report was written (whatever the runs' verdicts), 2 on an unreadable history,
 * waivers file or output path. Skipped run files are warned about on stderr.
 */
export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('render a report (trend, nodes x routers, findings, regressions, waivers, drills) from saved run files')
    .requiredOption('--history <dir>', 'folder of run files (the --output folder of `haprobe run`)')
    .addOption(new Option('--format <format>', 'html or md (default: from --out extension, else html)').choices(formatsFor('history')))
    .option('--out <file>', 'write the report here (atomically) instead of stdout')
    .option('--last <n>', 'runs to include in the trend', parsePositiveInt, 30)
    .option('--waivers <file>', 're-judge each run with this waivers file, as of the run\'s start time')
    .option('--title <text>', 'report title')
    .option('--file-mode <octal>', 'permission bits of the --out file (default 600: reports embed command outputs)')
    .addHelpText('after', '\nExit codes: 0 report written · 2 unreadable history, waivers file or output path')
    .action((opts: ReportCommandOptions) => {
      const mode = opts.fileMode !== undefined ? parseFileMode(opts.fileMode) : undefined;
      if (opts.out) checkOutputFile(opts.out, '--out');
      const { text, warnings } = runReport(opts);
      for (const w of warnings) process.stderr.write(`haprobe: warning: ${w}\n`);
      if (opts.out) writeFileAtomic(opts.out, text, { mode });
      else process.stdout.write(text);
    });
}

/** The command without process I/O: reads the history, returns the report text and warnings. */
export function runReport(opts: ReportCommandOptions): { text: string; warnings: string[] } {
  const history = listHistory(opts.history);
  if (history.entries.length === 0) {
    throw new HaprobeError('usage', 'no readable run file in the history folder', {
      where: opts.history,
      hint: history.warnings.length > 0 ? `${history.warnings.length} file(s) skipped, see warnings` : 'run `haprobe run --output DIR` first',
    });
  }
  let runs = history.entries.map((e) => e.result).slice(-opts.last);
  if (opts.waivers) {
    const waivers = loadWaivers(opts.waivers);
    // each run as it would have been judged when it ran: a waiver that expired since stays applied there
    runs = runs.map((r) => applyWaivers(r, waivers, new Date(r.startedAt)));
  }
  const format = opts.format ?? (opts.out && /\.(md|markdown)$/i.test(opts.out) ? 'md' : 'html');
  const text = renderReport('history', format, runs, { title: opts.title });
  return { text, warnings: history.warnings };
}

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}
