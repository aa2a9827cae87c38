export * from './types';
export { buildDoctorProbeScript, PROBE_BEGIN, PROBE_END } from './probe-script';
export { parseDoctorProbe, type ParsedProbe } from './parse-probe';
export { judgeDoctorNode, type NodeObservation, CLOCK_WARN_MS } from './judge-node';
export { classifyArping, parseIptablesVersion } from './classify-tools';
export { runDoctor, type DoctorOptions } from './run-doctor';
export { renderDoctorTable, renderDoctorJson, doctorExitCode, summarizeDoctor } from './render-doctor';
