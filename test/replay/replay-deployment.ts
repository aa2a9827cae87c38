import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { CHECKS } from '../../checks/index';
import { buildSnapshotFromFiles, type OutputKind, type SavedNode } from '../../src/collect/snapshot-from-files';
import type { NodeCollection } from '../../src/collect/collect';
import { buildCloudSnapshot } from '../../src/engine/run';
import { evaluateChecks } from '../../src/engine/evaluate';
import { assertProfileFitsDataPlane } from '../../src/engine/detect-deployment';
import { assembleRunResult } from '../../src/engine/assemble';
import type { Check, CheckContext, Finding, Subject } from '../../src/engine/types';
import type { Facts } from '../../src/model/facts';
import { validateFacts } from '../../src/model/load-facts';
import type { Role } from '../../src/model/types';
import { loadProfile } from '../../src/profile';
import type { RunResult } from '../../src/report/result';
import { summarizeResult } from '../../src/report/summarize-result';
import { readCorpusBody } from '../helpers/corpus';

/** Manifests of the replayed deployments (YAML, one per deployment snapshot). */
export const DEPLOYMENTS_DIR = path.resolve(__dirname, '../../../test/replay/deployments');

export interface ManifestOutput {
  /** corpus file under test/fixtures/real/ */
  file: string;
  kind: OutputKind;
  namespace?: string;
  bridge?: string;
  router?: string;
  table?: string;
}

/** A finding the replay expects (fail) or tolerates (warn), matched on check and subject fields. */
export interface ExpectedFinding {
  check: string;
  verdict?: 'fail' | 'warn' | 'error';
  subject?: Subject;
  /** why this verdict is right on this deployment */
  reason: string;
}

export interface KnownCheckBug {
  check: string;
  verdict?: 'fail' | 'warn' | 'error';
  subject?: Subject;
  /** part of the finding's message, to tell two findings of one check apart */
  messageIncludes?: string;
  /** what the check does wrong, and what the right verdict is */
  bug: string;
}

export interface DeploymentManifest {
  id: string;
  /** the deployment several manifests (states of one cloud) belong to; default: id */
  deployment?: string;
  /** who published the outputs, where */
  source: string;
  release: string;
  mode: 'legacy' | 'ha' | 'dvr' | 'dvr-ha';
  profile: string;
  /** what the outputs show, and what they leave out */
  notes?: string;
  /**
   * Findings a check gets wrong on this deployment today (a false alarm), each naming the check bug.
   * The verdict test ignores them; a skipped test per entry asserts they are gone, to be enabled
   * when the check is fixed.
   */
  knownCheckBugs?: KnownCheckBug[];
  /** a check bug that keeps the right overall verdict out of reach today: the verdict test is skipped, naming it */
  verdictBlockedBy?: string;
  facts?: Facts;
  /** checks left out as `haprobe run --skip` would, each because the published outputs cannot feed it */
  skipChecks?: { check: string; reason: string }[];
  nodes: {
    node: string;
    roles: Role[];
    versions?: Record<string, string>;
    outputs: ManifestOutput[];
    /** namespaces a published file implies but no published listing shows (e.g. the qrouter- of a keepalived.conf), with the reason */
    impliedNamespaces?: { name: string; reason: string }[];
  }[];
  expect: {
    /** refused: haprobe must stop before judging ("this looks like X, not Y", exit 2) */
    verdict: 'pass' | 'fail' | 'refused';
    /** refused: words the refusal must contain (the kind it saw) */
    refusedAs?: string;
    /** every fail/error finding must be one of these, and each of these must occur */
    failures?: ExpectedFinding[];
    /** warn findings the deployment may show, with the reason they are right (not required to occur) */
    tolerated?: ExpectedFinding[];
  };
}

export function listManifests(): string[] {
  return fs.readdirSync(DEPLOYMENTS_DIR).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(DEPLOYMENTS_DIR, f));
}

export function readManifest(file: string): DeploymentManifest {
  const m = parseYaml(fs.readFileSync(file, 'utf8')) as DeploymentManifest;
  if (m.facts) {
    const problem = validateFacts(m.facts);
    if (problem) throw new Error(`${file}: facts ${problem.path}: ${problem.message}`);
  }
  return m;
}

/**
 * Replays one deployment the way `haprobe run` judges a live one: each node's published outputs
 * become its snapshot through the live parse path (buildSnapshotFromFiles → buildNodeSnapshot),
 * then the profile's checks run with the deployment's release (as a site override would set it)
 * and the facts the published CLI outputs allow, and the run result is assembled and summarised.
 */
export function replayDeployment(m: DeploymentManifest, opts: { withSkipped?: boolean } = {}): RunResult {
  const collections: NodeCollection[] = m.nodes.map((n) => {
    const saved: SavedNode = {
      node: n.node,
      roles: n.roles,
      versions: n.versions,
      outputs: [
        ...n.outputs.map((o) => ({ ...o, text: readCorpusBody(o.file), source: o.file })),
        ...(n.impliedNamespaces ?? []).map((ns) => ({ kind: 'netns' as const, text: `${ns.name}\n`, source: `manifest: ${ns.reason}` })),
      ],
    };
    const { snapshot, evidence, warnings } = buildSnapshotFromFiles(saved);
    return {
      node: { name: n.node, address: 'replay', port: 22, user: 'replay', roles: n.roles } as unknown as NodeCollection['node'],
      snapshot,
      evidence,
      warnings,
      durationMs: 0,
    };
  });
  const profile = loadProfile(m.profile);
  const byId = new Map(CHECKS.map((c) => [c.id, c]));
  const skipped = new Set(opts.withSkipped ? [] : (m.skipChecks ?? []).map((s) => s.check));
  const checks = profile.checks.filter((c) => !skipped.has(c.id)).map((c) => byId.get(c.id) as Check);
  const paramsFor = new Map(profile.checks.map((c) => [c.id, { ...c.params, release: m.release }]));
  const snapshot = buildCloudSnapshot(collections);
  // as executeRun: a data plane of another kind than the profile is refused (HaprobeError 'profile', exit 2)
  assertProfileFitsDataPlane(profile.id, snapshot);
  const ctxFor = (check: Check): CheckContext => ({ snapshot, facts: m.facts, params: paramsFor.get(check.id) ?? {}, profileId: profile.id });
  const evaluation = evaluateChecks(checks, ctxFor, new Set());
  const at = new Date(0);
  const result = assembleRunResult({
    profile: profile.id,
    inventory: { source: `replay:${m.id}`, digest: '' },
    ...(m.facts ? { facts: { source: `replay:${m.id}`, digest: '' } } : {}),
    startedAt: at,
    finishedAt: at,
    collections,
    checks,
    evaluation,
  });
  Object.assign(result, summarizeResult(result));
  return result;
}

export function matchesExpected(f: Finding, e: ExpectedFinding | KnownCheckBug, verdict: string): boolean {
  if (f.checkId !== e.check || f.verdict !== (e.verdict ?? verdict)) return false;
  if ('messageIncludes' in e && e.messageIncludes !== undefined && !f.message.includes(e.messageIncludes)) return false;
  return Object.entries(e.subject ?? {}).every(([k, v]) => f.subject[k as keyof Subject] === v);
}

/** One line per finding, for assertion messages. */
export function describeFindings(findings: Finding[]): string {
  return findings.map((f) => `  ${f.verdict} ${f.checkId} ${JSON.stringify(f.subject)}: ${f.message}`).join('\n');
}
