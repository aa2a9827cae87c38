import { Command, CommanderError } from 'commander';
import { HaprobeError } from '../errors';
import { TOOL_VERSION } from '../version';
import { EXIT } from './exit-codes';
import { reportedExitCode } from './context';
import { COMMANDS } from './commands';

export function buildProgram(): Command {
  const program = new Command('haprobe')
    .description(
      'Prove on the live nodes that an OpenStack cloud\'s network HA is wired the way its HA mode requires. ' +
        'Connects over SSH, reads namespaces, addresses, routes, iptables, OVS and keepalived state, ' +
        'captures gratuitous ARPs, and judges all of it against an HA profile.',
    )
    .version(TOOL_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.addHelpText(
    'after',
    '\nExit codes: 0 all checks pass · 1 findings · 2 usage/config error · 3 nodes unreachable · 4 internal error',
  );
  for (const register of COMMANDS) register(program);
  return program;
}

/** The only caller of process.exit in haprobe. */
export async function main(argv: string[]): Promise<void> {
  endQuietlyOnClosedPipe();
  const program = buildProgram();
  let code: number = EXIT.OK;
  try {
    await program.parseAsync(argv);
    code = reportedExitCode();
  } catch (err) {
    code = exitCodeFor(err);
  }
  // let pending stdout writes drain before leaving
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(code);
}

/**
 * `haprobe … | head`: once the reader is gone, writes fail with EPIPE, emitted as an 'error'
 * event that nobody handled: a stack trace (issue 8). A closed pipe is the reader's choice, so
 * leave at once, quietly, with the outcome so far; any other stream error is an internal error.
 */
function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(reportedExitCode());
      if (stream !== process.stderr) process.stderr.write(`haprobe: internal error: cannot write to stdout (${err.code ?? err.message})\n`);
      process.exit(EXIT.INTERNAL);
    });
  }
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
      return EXIT.OK;
    }
    return EXIT.USAGE;
  }
  if (err instanceof HaprobeError) {
    process.stderr.write(err.format() + '\n');
    return err.code === 'internal' || err.code === 'lab' ? EXIT.INTERNAL : EXIT.USAGE;
  }
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`haprobe: internal error: ${message}\n`);
  return EXIT.INTERNAL;
}
