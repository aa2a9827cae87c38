/** Public surface of the report layer (what `haprobe run`, `report` and `diff` call). */
export { formatSubject, canonicalSubject, routerOf, routerOfNamespace } from './format-subject';
export { summarizeResult, shownRowVerdict, shownFindingVerdict, VERDICT_RANK, type ShownVerdict } from './summarize-result';
export { renderTable, summaryLine, type TableOptions } from './render-table';
export { renderJson } from './render-json';
export { renderJunit } from './render-junit';
export { renderPrometheus, writePrometheusFile, type PrometheusOptions } from './render-prometheus';
export { validateRunResult, isRunResult, type RunResultValidation } from './validate-run-result';
export { readRunFile, parseRunFile } from './read-run-file';
export { writeRunFile, runFileName, compactTimestamp } from './write-run-file';
export { writeFileAtomic } from './write-file-atomic';
export { listHistory, type History, type HistoryEntry } from './list-history';
export { loadWaivers, parseWaivers } from './load-waivers';
export { applyWaivers, describeWaiverOutcomes, isExpired, subjectMatches, waiverCovers } from './apply-waivers';
export type { Waiver, SubjectFieldPattern } from './waiver';
