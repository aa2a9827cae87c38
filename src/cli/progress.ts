/** Moved to src/progress.ts: the lab reports progress too, and lab/ must not import cli/ (issue 14). */
export * from '../progress';
