import { Option, type Command } from 'commander';
import { reportExitCode } from '../context';
import { EXIT } from '../exit-codes';
import { applyWaivers } from '../../report/apply-waivers';
import { diffRuns, hasRegression, type RunDiff } from '../../report/diff-runs';
import { loadWaivers } from '../../report/load-waivers';
import { readRunFile } from '../../report/read-run-file';
import { formatsFor, renderReport } from '../../report/reporters';

export interface DiffCommandOptions {
  format: 'table' | 'json';
  waivers?: string;
  color?: boolean;
}

/**
 * `haprobe diff RUN_A RUN_B`: what appeared, disappeared (fixed) and changed from run file A to B.
 * Exit 0 when nothing appeared unwaived, got worse or became unreachable; 1 otherwise; 2 when a run
 * file or the waivers file cannot be read. Never touches the cloud.
 */
export function registerDiffCommand(program: Command): void {
  program
    .command('diff')
    .description('compare two saved run files: findings that appeared, were fixed or changed')
    .argument('<run-a>', 'older run file (from `haprobe run --output DIR`)')
    .argument('<run-b>', 'newer run file')
    .addOption(new Option('--format <format>', 'output format').choices(formatsFor('diff')).default('table'))
    .option('--waivers <file>', 're-judge both runs with this waivers file (as of each run\'s start)')
    .addHelpText('after', '\nExit codes: 0 nothing regressed · 1 a finding appeared or got worse, or a node became unreachable · 2 unreadable run or waivers file')
    .action((a: string, b: string, opts: { format: 'table' | 'json'; waivers?: string }) => {
      const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
      const { text, diff } = runDiff(a, b, { ...opts, color });
      process.stdout.write(text);
      reportExitCode(hasRegression(diff) ? EXIT.FINDINGS : EXIT.OK);
    });
}

/** The command without process I/O: reads both files, returns the rendered diff. */
export function runDiff(pathA: string, pathB: string, opts: DiffCommandOptions): { text: string; diff: RunDiff } {
  let a = readRunFile(pathA);
  let b = readRunFile(pathB);
  if (opts.waivers) {
    const waivers = loadWaivers(opts.waivers);
    a = applyWaivers(a, waivers, new Date(a.startedAt));
    b = applyWaivers(b, waivers, new Date(b.startedAt));
  }
  const diff = diffRuns(a, b);
  return { diff, text: renderReport('diff', opts.format, diff, { color: opts.color }) };
}
