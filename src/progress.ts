import { Listr, ListrLogger, ProcessOutput, type ListrTask } from 'listr2';

/** the plain (line per update) renderer is used: stderr is not a TTY, or CI is set */
export function isPlainProgress(): boolean {
  return !process.stderr.isTTY || Boolean(process.env.CI);
}

/**
 * Whether a per-node progress update is shown (issue 10: a 200-node run must not print 200 lines
 * in a CI log). The animated renderer redraws one line in place: every update. The plain renderer
 * writes a line per update: up to `few` nodes every one, beyond that unreachable nodes, every
 * tenth of the way and the last one.
 */
export function showsNodeUpdate(opts: { plain: boolean; done: number; total: number; failed: boolean; few?: number }): boolean {
  if (!opts.plain || opts.total <= (opts.few ?? 20) || opts.failed || opts.done === opts.total) return true;
  return opts.done % Math.ceil(opts.total / 10) === 0;
}

/**
 * Progress of long work (collection per node, lab build steps) with listr2.
 * Drawn on stderr so stdout stays clean for --format json|junit; the animated renderer only
 * on a TTY outside CI, the plain one otherwise; nothing at all with quiet.
 */
export function createProgress<Ctx>(tasks: ListrTask<Ctx>[], opts: { concurrent?: number | boolean; quiet?: boolean; exitOnError?: boolean } = {}): Listr<Ctx, 'default' | 'simple' | 'silent', 'simple'> {
  const output = new ProcessOutput(process.stderr, process.stderr);
  const logger = new ListrLogger({ processOutput: output });
  const plain = isPlainProgress();
  return new Listr<Ctx, 'default' | 'simple' | 'silent', 'simple'>(tasks, {
    concurrent: opts.concurrent ?? false,
    exitOnError: opts.exitOnError ?? false,
    collectErrors: false,
    renderer: opts.quiet ? 'silent' : plain ? 'simple' : 'default',
    rendererOptions: { logger } as never,
    fallbackRenderer: 'simple',
    fallbackRendererOptions: { logger } as never,
  });
}
