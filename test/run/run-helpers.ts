import { expect } from 'chai';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { listEveryFault } from '../../src/lab/faults-table';
import type { RunResult } from '../../src/report/result';
import type { Finding, Subject } from '../../src/engine/types';

export const CLI = path.resolve(__dirname, '../../src/cli/bin.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI (node dist/src/cli/bin.js …) the way an operator or a pipeline does. */
export function runCli(args: string[], timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, CI: '1' } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 99) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `haprobe run … --format json` against a lab state dir; returns the exit code and the parsed result. */
export async function runAgainstLab(stateDir: string, profile: string, extra: string[] = []): Promise<{ code: number; result: RunResult; stderr: string }> {
  const r = await runCli([
    'run', '-q', '--format', 'json',
    '-i', path.join(stateDir, 'inventory.yaml'),
    '-f', path.join(stateDir, 'facts.json'),
    '-p', profile,
    ...extra,
  ]);
  let result: RunResult;
  try {
    result = JSON.parse(r.stdout) as RunResult;
  } catch {
    throw new Error(`haprobe run printed no JSON (exit ${r.code}): ${r.stderr.slice(0, 2000)}`);
  }
  return { code: r.code, result, stderr: r.stderr };
}

/** The lab describes a fault's subject as "node net1 namespace qrouter-… floatingIp 203.0.113.101". */
export function parseLabSubject(text: string): Subject {
  const words = text.trim().split(/\s+/);
  const subject: Subject = {};
  for (let i = 0; i + 1 < words.length; i += 2) {
    const key = words[i] as keyof Subject;
    if (['node', 'namespace', 'router', 'floatingIp', 'device', 'port'].includes(key)) subject[key] = words[i + 1];
  }
  return subject;
}

/** failing findings of `checkId` whose subject has every field of `want` */
export function findingsMatching(result: RunResult, checkId: string, want: Subject): Finding[] {
  return result.findings.filter(
    (f) =>
      f.checkId === checkId &&
      (f.verdict === 'fail' || f.verdict === 'warn') &&
      Object.entries(want).every(([k, v]) => f.subject[k as keyof Subject] === v),
  );
}

export function failing(result: RunResult): Finding[] {
  return result.findings.filter((f) => f.verdict === 'fail' || f.verdict === 'error');
}

export function describeFindings(findings: Finding[]): string {
  return findings.map((f) => `${f.checkId} ${JSON.stringify(f.subject)} ${f.verdict}: ${f.message}`).join('\n');
}

const SUBJECT_KEYS = ['node', 'namespace', 'router', 'floatingIp', 'device', 'port'] as const;

/** the Subject fields a registry subject text names: 'node + namespace + device (fpr-)' → node, namespace, device */
export function subjectKeysNamed(text: string): (keyof Subject)[] {
  return SUBJECT_KEYS.filter((k) => new RegExp(`\\b${k}\\b`).test(text));
}

/** what the fault registry (`haprobe lab faults`) says must catch a fault */
export interface FaultExpectation {
  name: string;
  check: string;
  /** the registry's subject text ('node + namespace + floatingIp') */
  subject: string;
  /** bug references of its §7 row ([] when it is no row) */
  bugs: readonly string[];
}

/**
 * Issue 12, "an integration test per fault asserts the check id, the subject, and the bug number
 * in the finding": the failing/warning findings of the registry's check whose subject carries every
 * field the registry names and the values of the subject the lab recorded when it applied the
 * fault (`recorded`: 'node net1 namespace qrouter-…'), at least one; and every bug reference of
 * the fault's row among that check's references in the run file. Returns the findings.
 */
export function expectFaultCaught(result: RunResult, fault: FaultExpectation, recorded: string | Subject, message?: RegExp): Finding[] {
  const want = typeof recorded === 'string' ? parseLabSubject(recorded) : recorded;
  const keys = subjectKeysNamed(fault.subject);
  const hits = findingsMatching(result, fault.check, want)
    .filter((f) => keys.every((k) => f.subject[k] !== undefined))
    .filter((f) => !message || message.test(f.message));
  const seen = describeFindings(result.findings.filter((f) => f.verdict !== 'pass'));
  expect(hits.length, `${fault.name}: a ${fault.check} finding on ${JSON.stringify(want)} naming ${keys.join(' + ') || 'its subject'}${message ? ` matching ${message}` : ''}; got:\n${seen}`).to.be.greaterThan(0);
  const refs = result.checks.find((c) => c.id === fault.check)?.references ?? [];
  for (const bug of fault.bugs) expect(refs, `${fault.name}: references of ${fault.check} in the run file`).to.include(`bug:${bug}`);
  return hits;
}

/** the registry's row of a fault (`haprobe lab faults`), by name */
export function expectationOf(name: string): FaultExpectation {
  const row = listEveryFault().find((f) => f.name === name);
  if (!row) throw new Error(`fault ${name} is not in the registry (haprobe lab faults)`);
  return row;
}

/** the checks the fault registry names for a ground-truth §7 row (issue 12's catalogue of real bugs) */
export function rowCheckIds(): string[] {
  return [...new Set(listEveryFault().filter((f) => f.row !== undefined).map((f) => f.check))].sort();
}

/**
 * Issue 12, "on a healthy lab of every profile and variant, none of the new checks fires": the
 * findings of the §7 checks that are not a pass (fail, warn, error, skip), described; '' when none.
 */
export function rowChecksFiring(result: RunResult): string {
  const ids = new Set(rowCheckIds());
  return describeFindings(result.findings.filter((f) => ids.has(f.checkId) && f.verdict !== 'pass'));
}
