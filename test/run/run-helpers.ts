import { execFile } from 'node:child_process';
import * as path from 'node:path';
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
