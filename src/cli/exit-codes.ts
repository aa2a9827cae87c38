/** Moved to src/exit-codes.ts: doctor renders exit codes too, and must not import cli/ (issue 14). */
export * from '../exit-codes';
