/**
 * Process-wide cancellation (issue 8). SIGINT, SIGTERM and SIGHUP — and a fatal error that
 * cli/main.ts caught (unhandled rejection) — call every registered handler once, with the reason:
 * live captures stop, a drill injects nothing or restores what it changed. Code that must clean up
 * registers with onInterrupt() and unregisters when done.
 *
 * Two modes. Inside the CLI, main.ts calls installInterruptHandling() once: its listeners stay for
 * the whole run; a signal with no handler registered exits at once (128 + signal number: nothing
 * to clean here, and remote commands end by themselves through the transport's guard), a second
 * signal exits at once too (the operator insists). As a library (tests), onInterrupt() listens to
 * the three signals only while handlers are registered, so the process keeps Node's defaults.
 */

export type InterruptReason = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'fatal error';
export type InterruptHandler = (reason: InterruptReason) => void;

export const INTERRUPT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type Sig = (typeof INTERRUPT_SIGNALS)[number];
const SIGNAL_NUMBER: Record<Sig, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

const handlers = new Set<InterruptHandler>();
let interrupted: InterruptReason | undefined;
let cli: { exit: (code: number, reason: InterruptReason) => void } | undefined;
let libraryListening = false;

const onSignal = (sig: Sig): void => {
  if (cli && (handlers.size === 0 || interrupted !== undefined)) {
    cli.exit(128 + SIGNAL_NUMBER[sig], sig);
    return;
  }
  interrupt(sig);
};
const listeners: Record<Sig, () => void> = {
  SIGINT: () => onSignal('SIGINT'),
  SIGTERM: () => onSignal('SIGTERM'),
  SIGHUP: () => onSignal('SIGHUP'),
};

function listen(on: boolean): void {
  for (const s of INTERRUPT_SIGNALS) {
    if (on) process.on(s, listeners[s]);
    else process.removeListener(s, listeners[s]);
  }
}

/** CLI mode (cli/main.ts, once): `exit` is main's way out; it is called for unhandled signals */
export function installInterruptHandling(exit: (code: number, reason: InterruptReason) => void): void {
  if (cli) return;
  if (libraryListening) listen(false);
  libraryListening = false;
  cli = { exit };
  listen(true);
}

/** register; the returned function unregisters. Registered after an interrupt: called at once. */
export function onInterrupt(handler: InterruptHandler): () => void {
  handlers.add(handler);
  if (!cli && !libraryListening) {
    libraryListening = true;
    listen(true);
  }
  if (interrupted !== undefined) {
    const reason = interrupted;
    queueMicrotask(() => handler(reason));
  }
  return () => {
    handlers.delete(handler);
    if (!cli && libraryListening && handlers.size === 0) {
      libraryListening = false;
      interrupted = undefined; // a library's next operation starts afresh
      listen(false);
    }
  };
}

/** run every handler once (later calls are no-ops); returns how many there were */
export function interrupt(reason: InterruptReason): number {
  if (interrupted !== undefined) return 0;
  interrupted = reason;
  const now = [...handlers];
  for (const h of now) {
    try {
      h(reason);
    } catch {
      /* a failing handler must not stop the others */
    }
  }
  return now.length;
}

/** the reason of the interrupt, if one happened */
export function interruptReason(): InterruptReason | undefined {
  return interrupted;
}

/** for tests that interrupt in-process */
export function resetInterrupt(): void {
  interrupted = undefined;
}
