import type { Role } from '../model/types';

/** one preflight item per node, in the order the table shows them */
export const DOCTOR_CHECKS = ['ssh', 'sudo', 'ip-json', 'iptables', 'ovs', 'tcpdump', 'arping', 'containers', 'keepalived', 'clock'] as const;
export type DoctorCheckId = (typeof DOCTOR_CHECKS)[number];

/** ok: ready · warn: works, with a caveat · fail: haprobe (or neutron) cannot do its job here · skip: not judged */
export type DoctorStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface DoctorRow {
  node: string;
  check: DoctorCheckId;
  status: DoctorStatus;
  /** what was found, one line */
  detail: string;
  /** what to do about a warn/fail, one line (a command where there is one) */
  fix?: string;
}

export interface DoctorNodeSummary {
  name: string;
  roles: Role[];
  reachable: boolean;
}

/** `haprobe doctor --format json` (schema version 1) */
export interface DoctorReport {
  schemaVersion: 1;
  tool: 'haprobe doctor';
  startedAt: string;
  durationMs: number;
  inventory: string;
  nodes: DoctorNodeSummary[];
  rows: DoctorRow[];
  /** output lines of the probe that were not understood, per node (never silently dropped) */
  warnings: Array<{ node: string; line: number; text: string }>;
}
