/** Moved to src/result/ (the engine fills the summary too; issue 14). */
export * from '../result/summarize-result';
