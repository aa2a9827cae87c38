export type * from './finding';
export * from './run-result';
export * from './summarize-result';
