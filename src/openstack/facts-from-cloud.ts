import { createHash } from 'node:crypto';
import type { Facts } from '../model/facts';
import { loadCloudConfig } from './clouds-yaml';
import { buildFactsFromApi } from './facts-from-api';
import { readApiBodies } from './read-api';
import { createSession } from './session';

export interface CloudFactsOptions {
  /** clouds.yaml entry; default $OS_CLOUD, then the OS_* variables */
  cloud?: string;
  /** per-request budget, ms */
  timeoutMs?: number;
  /** API debug lines (method, URL, status, time; secrets redacted) */
  debug?: (line: string) => void;
  onProgress?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface CloudFacts {
  facts: Facts;
  /** "cloud:<name>" — where the run file says the facts came from */
  source: string;
  /** sha256 of the facts as JSON (the run file's facts digest) */
  digest: string;
  warnings: string[];
  /** Keystone tokens obtained (more than 1: a token expired or was revoked mid-read) */
  authCount: number;
}

/** The facts of a cloud, read from its API (the edge `run --cloud` and `facts --cloud` share). */
export async function readCloudFacts(opts: CloudFactsOptions = {}): Promise<CloudFacts> {
  const cfg = loadCloudConfig({ cloud: opts.cloud, env: opts.env });
  const session = createSession(cfg, { timeoutMs: opts.timeoutMs, debug: opts.debug });
  const bodies = await readApiBodies(session, { onProgress: opts.onProgress });
  const { facts, warnings } = buildFactsFromApi(bodies);
  const text = JSON.stringify(facts);
  return { facts, source: `cloud:${cfg.name}`, digest: createHash('sha256').update(text).digest('hex'), warnings, authCount: session.authCount };
}
