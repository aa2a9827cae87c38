import { Listr, ListrLogger, ProcessOutput, type ListrTask } from 'listr2';

/**
 * Progress of long work (collection per node, lab build steps) with listr2.
 * Drawn on stderr so stdout stays clean for --format json|junit; the animated renderer only
 * on a TTY outside CI, the plain one otherwise; nothing at all with quiet.
 */
export function createProgress<Ctx>(tasks: ListrTask<Ctx>[], opts: { concurrent?: number | boolean; quiet?: boolean; exitOnError?: boolean } = {}): Listr<Ctx, 'default' | 'simple' | 'silent', 'simple'> {
  const output = new ProcessOutput(process.stderr, process.stderr);
  const logger = new ListrLogger({ processOutput: output });
  const plain = !process.stderr.isTTY || Boolean(process.env.CI);
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
