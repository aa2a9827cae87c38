import type { Command } from 'commander';

/** Every top-level command registers itself here (one module per command). */
export type RegisterCommand = (program: Command) => void;

/**
 * A command whose module is loaded only when the invocation may need it (issue 10: loading every
 * command's module — ssh2, yaml, ajv, the checks, the lab — was most of each start, `--version`
 * included). `names`: the top-level commands its register function adds (test/cli/lazy-commands
 * holds every entry to it). A plain RegisterCommand in COMMANDS is loaded and registered always.
 */
export interface LazyCommand {
  names: readonly string[];
  load: () => RegisterCommand;
}

const lazy = (names: string[], load: () => RegisterCommand): LazyCommand => ({ names, load });

// require() is what makes the load lazy; `typeof import` keeps the names and types checked
export const COMMANDS: (RegisterCommand | LazyCommand)[] = [
  lazy(['run'], () => (require('./run') as typeof import('./run')).registerRunCommand),
  lazy(['report'], () => (require('./report') as typeof import('./report')).registerReportCommand),
  lazy(['diff'], () => (require('./diff') as typeof import('./diff')).registerDiffCommand),
  lazy(['garp'], () => (program) => void (require('./garp') as typeof import('./garp')).registerGarpCommand(program)),
  lazy(['lab'], () => (require('./lab') as typeof import('./lab')).registerLab),
  lazy(['demo'], () => (require('./demo') as typeof import('./demo')).registerDemoCommand),
  lazy(['checks', 'profiles'], () => (require('./catalog') as typeof import('./catalog')).registerCatalogCommands),
  lazy(['explain'], () => (require('./explain') as typeof import('./explain')).registerExplainCommand),
  lazy(['drill'], () => (require('./drill') as typeof import('./drill')).registerDrillCommand),
  lazy(['analyze'], () => (require('./analyze') as typeof import('./analyze')).registerAnalyzeCommand),
  lazy(['where'], () => (require('./where') as typeof import('./where')).registerWhereCommand),
  lazy(['facts'], () => (require('./facts') as typeof import('./facts')).registerFactsCommand),
  lazy(['init'], () => (require('./init') as typeof import('./init')).registerInitCommand),
  lazy(['doctor'], () => (require('./doctor') as typeof import('./doctor')).registerDoctorCommand),
  lazy(['merge'], () => (require('./merge') as typeof import('./merge')).registerMergeCommand),
];

/**
 * The registrations `haprobe ARGS` needs (ARGS without node and the script): only the named
 * command's when the first argument names one (plus every plain entry); none for a bare
 * `--version`; otherwise all (the top-level help lists them, a mistyped name gets its suggestion).
 */
export function selectRegistrations(entries: readonly (RegisterCommand | LazyCommand)[], args: readonly string[]): RegisterCommand[] {
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) return [];
  const word = args[0] !== undefined && !args[0].startsWith('-') ? args[0] : undefined;
  const named = entries.some((e) => typeof e !== 'function' && word !== undefined && e.names.includes(word));
  const chosen = named ? entries.filter((e) => typeof e === 'function' || e.names.includes(word!)) : entries;
  return chosen.map((e) => (typeof e === 'function' ? e : e.load()));
}
