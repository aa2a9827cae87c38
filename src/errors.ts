/**
 * Typed errors with a code, a cause and a hint. Thrown by the edges (config loading,
 * lab), caught once in cli/main.ts which turns them into one line and an exit code.
 */
export type ErrorCode =
  | 'usage'
  | 'inventory'
  | 'profile'
  | 'facts'
  | 'waivers'
  | 'check'
  | 'lab'
  | 'capture'
  | 'io'
  /** a node the command needs could not be reached or read (exit 3, like a run with unreachable nodes) */
  | 'node'
  | 'internal';

export class HaprobeError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  /** where: "inventory.yaml: nodes[2].roles" */
  readonly where?: string;

  constructor(code: ErrorCode, message: string, opts: { where?: string; hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = 'HaprobeError';
    this.code = code;
    this.where = opts.where;
    this.hint = opts.hint;
  }

  /** one line for the operator */
  format(): string {
    const where = this.where ? `${this.where}: ` : '';
    const hint = this.hint ? ` (hint: ${this.hint})` : '';
    return `haprobe: ${this.code} error: ${where}${this.message}${hint}`;
  }
}
