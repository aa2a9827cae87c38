import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** the built CLI (dist/src/cli/bin.js) */
export const CLI_BIN = path.resolve(__dirname, '../../src/cli/bin.js');

/** `haprobe ARGS` as a child process: exit status, output, wall time. Never rejects. */
export function runCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr, ms: Date.now() - t0 }));
  });
}
