import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSource, type SourceNode } from '../../src/analyze/load-source';
import { buildOfflineCollections } from '../../src/analyze/build-collections';
import { evaluateOffline } from '../../src/analyze/evaluate-offline';
import { loadProfile } from '../../src/profile';
import { CHECKS } from '../../checks';
import type { Check } from '../../src/engine/types';
import type { Facts } from '../../src/model/facts';
import type { RunResult } from '../../src/report/result';

/**
 * Real sosreports (Debian sos 4.0, generated inside lab nodes by analyze.lab.test.ts, trimmed to
 * the files analyze reads): analyze's failing findings equal those of the live `run` on the same
 * lab state (expected-failures.txt, written from that run).
 */
export const SOS_FIXTURES = path.resolve(__dirname, '../../../test/fixtures/sos');

export function fixtureStates(): string[] {
  return fs.existsSync(SOS_FIXTURES) ? fs.readdirSync(SOS_FIXTURES).filter((d) => fs.statSync(path.join(SOS_FIXTURES, d)).isDirectory()).sort() : [];
}

export function sosDirsOf(state: string): string[] {
  const dir = path.join(SOS_FIXTURES, state);
  return fs.readdirSync(dir).filter((d) => d.startsWith('sosreport-')).sort().map((d) => path.join(dir, d));
}

export function factsOf(state: string): Facts {
  return JSON.parse(fs.readFileSync(path.join(SOS_FIXTURES, state, 'facts.json'), 'utf8')) as Facts;
}

export async function loadAll(dirs: string[]): Promise<SourceNode[]> {
  const out: SourceNode[] = [];
  for (const d of dirs) out.push(...(await loadSource(d)));
  return out;
}

export function analyzeNodes(nodes: SourceNode[], facts: Facts, profileId = 'neutron-l3ha'): RunResult {
  const profile = loadProfile(profileId);
  const byId = new Map(CHECKS.map((c) => [c.id, c]));
  const checks = profile.checks.map((c) => byId.get(c.id) as Check);
  const collections = buildOfflineCollections(nodes, { facts });
  return evaluateOffline({ collections, profile, checks, facts: { facts, source: 'facts.json', digest: '' }, paths: nodes.map((n) => n.label), now: () => new Date(0) });
}

