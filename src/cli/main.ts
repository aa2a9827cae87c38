import { Command, CommanderError } from 'commander';
import { HaprobeError } from '../errors';
import { TOOL_VERSION } from '../version';
import { EXIT, exitCodeOfError } from './exit-codes';
import { reportedExitCode } from './context';
import { COMMANDS, selectRegistrations } from './commands';
import { linkHelpToDocs } from './doc-pages';
import { installInterruptHandling, interrupt, interruptReason } from '../interrupt';

/** args (argv without node and the script): register only the commands they may need (all when omitted) */
export function buildProgram(args?: readonly string[]): Command {
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
    '\nExit codes: 0 all checks pass · 1 findings · 2 usage/config error · 3 nodes unreachable · 4 internal error' +
      '\ndocs: README.md, then docs/ (one page per topic; docs/exit-codes.md for the exit codes)',
  );
  for (const register of selectRegistrations(COMMANDS, args ?? [])) register(program);
  linkHelpToDocs(program);
  return program;
}

/** how long a fatal error leaves registered cleanups (capture stop, drill restore) before exiting, ms */
export const FATAL_CLEANUP_MS = 60_000;

/**
 * The only caller of process.exit in haprobe. SIGINT, SIGTERM and SIGHUP reach the commands'
 * cleanups through src/interrupt.ts (a command with none exits at once with 128 + the signal
 * number; its remote commands end through the transport's guard). An unhandled rejection or
 * uncaught exception is reported, interrupts the command so that it cleans up (stops captures,
 * restores a drill), and ends the run with exit code 4 (issue 8: it used to leave both behind).
 */
export async function main(argv: string[]): Promise<void> {
  const pipes = watchOutputStreams();
  let fatal = false;
  const leave = async (code: number): Promise<never> => {
    // let pending stdout writes drain before leaving (not when the reader is gone: nothing drains)
    await drainStdout();
    process.exit(code);
  };
  installInterruptHandling((code, reason) => {
    process.stderr.write(`haprobe: ${reason}: stopped${interruptReason() ? ' (second signal: cleanup cut short)' : ''}\n`);
    void leave(fatal ? EXIT.INTERNAL : code);
  });
  const onFatal = (err: unknown, what: string): void => {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`haprobe: internal error (${what}): ${message}\n`);
    if (fatal) return;
    fatal = true;
    const cleaning = interrupt('fatal error');
    if (cleaning === 0) {
      void leave(EXIT.INTERNAL);
      return;
    }
    process.stderr.write(`haprobe: cleaning up (${cleaning} pending) before exiting with code ${EXIT.INTERNAL}\n`);
    setTimeout(() => void leave(EXIT.INTERNAL), FATAL_CLEANUP_MS).unref();
  };
  process.on('unhandledRejection', (err) => onFatal(err, 'unhandled rejection'));
  process.on('uncaughtException', (err) => onFatal(err, 'uncaught exception'));

  const program = buildProgram(argv.slice(2));
  let code: number = EXIT.OK;
  try {
    await program.parseAsync(argv);
    code = reportedExitCode();
  } catch (err) {
    code = exitCodeFor(err);
  }
  if (pipes.failed) {
    process.stderr.write(`haprobe: internal error: cannot write to stdout (${pipes.failed})\n`);
    code = Math.max(code, EXIT.INTERNAL);
  }
  await leave(fatal ? Math.max(code, EXIT.INTERNAL) : code);
}

/**
 * `haprobe … | head`: once the reader is gone, writes fail with EPIPE, emitted as an 'error'
 * event nobody handled: a stack trace (issue 8). A closed pipe is the reader's choice: the rest of
 * the output has nowhere to go and is dropped quietly, while the command still finishes and runs
 * its cleanups (a drill still restores). Any other stdout error (a full disk) is reported at the end.
 */
function watchOutputStreams(): { failed?: string } {
  const state: { failed?: string } = {};
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED' || stream === process.stderr) return;
      state.failed ??= err.code ?? err.message;
    });
  }
  return state;
}

function drainStdout(): Promise<void> {
  return new Promise<void>((resolve) => {
    if (process.stdout.destroyed || !process.stdout.writable) return resolve();
    process.stdout.write('', () => resolve());
  });
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
    return exitCodeOfError(err.code);
  }
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`haprobe: internal error: ${message}\n`);
  return EXIT.INTERNAL;
}
