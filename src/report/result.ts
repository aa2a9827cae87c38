/** The run result model now lives in src/result/ (the bottom layer engine, report and garp share; issue 14). */
export * from '../result/run-result';
