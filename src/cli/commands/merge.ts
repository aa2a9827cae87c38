import type { Command } from 'commander';
import { Option } from 'commander';
import path from 'node:path';
import { HaprobeError } from '../../errors';
import { reportExitCode } from '../context';
import { loadProfile } from '../../profile';
import { checksByIds } from '../../plan';
import { loadFacts } from '../../model/load-facts';
import { evaluateRun, planOfChecks } from '../../engine/evaluate-run';
import type { NodeCollection } from '../../collect/collect';
import type { SectionWarning } from '../../collect/snapshot';
import type { InventoryNode } from '../../inventory/types';
import type { Check } from '../../engine/types';
import type { Role } from '../../model/types';
import type { RunResult } from '../../report/result';
import { formatsFor, readRunFile, renderReport, writePrometheusFile, writeRunFile } from '../../report';
import type { TransportFailure } from '../../transport/types';
import { checkOutputFile, parseFileMode, prepareOutputDir } from '../options';
import { exitCodeOf } from './run';

export interface MergeFlags {
  profile: string;
  profileOverride?: string;
  facts?: string;
  format: 'table' | 'json' | 'junit';
  output?: string;
  prometheus?: string;
  /** per-subject haprobe_check_status series: all (default), failing, none (issue 10) */
  prometheusSubjects?: 'all' | 'failing' | 'none';
  fileMode?: string;
  failuresOnly?: boolean;
}

export function registerMergeCommand(program: Command): void {
  program
    .command('merge')
    .summary('join the run files of `run --shard K/N` into one run result')
    .description(
      'Read the run files of every shard of one sharded run (`haprobe run --shard K/N --output DIR`), ' +
        'check they belong together (same N, every shard once, same profile, inventory, facts and checks), ' +
        'and evaluate every check again on the union of the shards\' parsed snapshots, so cross-node checks ' +
        '(single primary, the upstream view) judge the whole cloud. Nothing is collected.',
    )
    .argument('<run-files...>', 'one run file per shard')
    .requiredOption('-p, --profile <id|file>', 'the profile the shards ran (must be the same id)')
    .option('--profile-override <file>', 'site override file merged over the profile (as the shards had it)')
    .option('-f, --facts <file>', 'the facts file the shards ran with (its digest must match)')
    .addOption(new Option('--format <format>', 'what to print on stdout').choices(formatsFor('run')).default('table'))
    .option('-o, --output <dir>', 'write the merged run file to this history folder')
    .option('--prometheus <file>', 'write node_exporter textfile metrics here')
    .addOption(new Option('--prometheus-subjects <which>', 'haprobe_check_status series per subject: all, only failing ones, or none (per-check aggregates are always written)').choices(['all', 'failing', 'none']).default('all'))
    .option('--file-mode <octal>', 'permission bits of the run file (default 600) and the --prometheus file (default 644)')
    .option('--failures-only', 'table: leave passing rows out')
    .addHelpText('after', '\nExample: haprobe merge hist/*-shard-*.json -p neutron-l3ha -f facts.json -o hist/merged\nExit codes: as `haprobe run` (0 pass · 1 findings · 2 usage · 3 unreachable only · 4 internal)')
    .action(async (files: string[], flags: MergeFlags) => {
      const result = mergeCommand(files, flags);
      reportExitCode(exitCodeOf(result));
    });
}

export function mergeCommand(files: string[], flags: MergeFlags): RunResult {
  const fileMode = flags.fileMode !== undefined ? parseFileMode(flags.fileMode) : undefined;
  const outputDir = flags.output !== undefined ? prepareOutputDir(flags.output, '--output') : undefined;
  if (flags.prometheus !== undefined) checkOutputFile(flags.prometheus, '--prometheus');
  const shards = files.map((f) => ({ file: f, result: readRunFile(f) }));
  const profile = loadProfile(flags.profile, { overrides: flags.profileOverride });
  const facts = flags.facts ? { ...loadFacts(flags.facts), source: path.resolve(flags.facts) } : undefined;
  const plan = planMerge(shards, { profileId: profile.id, factsDigest: facts?.digest });
  const checks: Check[] = checksByIds(plan.checkIds, files[0]);
  const first = shards[0].result;
  // the shards' snapshots are already parsed: judged as any other source's (evaluateRun)
  const output = evaluateRun(planOfChecks(profile, checks), plan.collections, {
    inventory: { source: first.inventory.source, digest: first.inventory.digest },
    facts,
    startedAt: plan.startedAt,
    finishedAt: plan.finishedAt,
  });
  const result = output.result;
  if (first.inventory.hostKeysChecked !== undefined) result.inventory.hostKeysChecked = shards.every((s) => s.result.inventory.hostKeysChecked !== false);
  if (outputDir) {
    const file = writeRunFile(outputDir, result, { mode: fileMode });
    process.stderr.write(`haprobe: merged run file written to ${file}\n`);
  }
  if (flags.prometheus) writePrometheusFile(flags.prometheus, renderReport('run', 'prometheus', result, { prometheusSubjects: flags.prometheusSubjects }), { mode: fileMode });
  const text = renderReport('run', flags.format, result, { color: Boolean(process.stdout.isTTY), failuresOnly: flags.failuresOnly });
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  return result;
}

export interface MergePlan {
  checkIds: string[];
  collections: NodeCollection[];
  startedAt: Date;
  finishedAt: Date;
}

/**
 * Pure: shard run files → the collections of the whole run, in the order of the unsharded run.
 * Refuses (usage error) shards that do not belong together: another N, a shard twice or missing,
 * another profile, inventory, facts digest or check list — a merged verdict over a partial or
 * mixed cloud would read as a pass for what was never looked at.
 */
export function planMerge(shards: { file: string; result: RunResult }[], expect: { profileId: string; factsDigest?: string }): MergePlan {
  if (shards.length === 0) throw new HaprobeError('usage', 'no run file given');
  const fail = (file: string, message: string, hint?: string): never => {
    throw new HaprobeError('usage', message, { where: file, hint });
  };
  const first = shards[0];
  for (const s of shards) if (!s.result.shard) fail(s.file, 'not a shard run file (no "shard": written by `haprobe run --shard K/N --output DIR`)');
  const count = first.result.shard!.count;
  const seen = new Map<number, string>();
  for (const { file, result } of shards) {
    const sh = result.shard!;
    if (sh.count !== count) fail(file, `shard ${sh.index}/${sh.count} does not belong with ${first.file} (N=${count})`);
    if (seen.has(sh.index)) fail(file, `shard ${sh.index}/${count} given twice (also ${seen.get(sh.index)})`);
    seen.set(sh.index, file);
    if (result.profile !== expect.profileId) fail(file, `shard ran profile ${result.profile}, --profile is ${expect.profileId}`);
    if (result.inventory.digest !== first.result.inventory.digest) fail(file, `shard ran another inventory than ${first.file} (digest differs)`);
    if ((result.facts?.digest ?? '') !== (expect.factsDigest ?? '')) {
      fail(file, result.facts ? `shard ran with facts ${result.facts.source} (digest ${result.facts.digest.slice(0, 12)}), not the --facts given` : 'shard ran without facts, but --facts was given',
        'pass the same --facts file the shards ran with');
    }
    if (sh.checkIds.join(',') !== first.result.shard!.checkIds.join(',')) fail(file, `shard ran other checks than ${first.file}`);
    if (sh.selectedTotal !== first.result.shard!.selectedTotal) fail(file, `shard saw ${sh.selectedTotal} selected nodes, ${first.file} ${first.result.shard!.selectedTotal}`);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((k) => !seen.has(k));
  if (missing.length > 0) fail(first.file, `shard(s) ${missing.map((k) => `${k}/${count}`).join(', ')} missing`, 'merge needs the run file of every shard');

  const collections: { position: number; c: NodeCollection }[] = [];
  for (const { result } of shards) {
    const snapshots = new Map(result.shard!.snapshots.map((s) => [s.node, s]));
    const status = new Map(result.nodes.map((n) => [n.name, n]));
    for (const n of result.shard!.nodes) {
      const st = status.get(n.name);
      const failure: TransportFailure | undefined = st && !st.reachable ? { reason: (st.reason ?? 'command') as TransportFailure['reason'], message: st.message ?? '' } : undefined;
      const node: InventoryNode = { name: n.name, address: n.address, port: n.port, user: '', roles: n.roles as Role[], sudo: false };
      const warnings: SectionWarning[] = (result.warnings ?? []).filter((w) => w.node === n.name);
      collections.push({
        position: n.position,
        c: {
          node,
          ...(failure ? { failure } : { snapshot: snapshots.get(n.name) }),
          evidence: result.evidence.filter((e) => e.node === n.name),
          warnings,
          durationMs: st?.collectMs ?? 0,
        },
      });
    }
  }
  const total = first.result.shard!.selectedTotal;
  if (collections.length !== total) fail(first.file, `the shards hold ${collections.length} node(s), the run selected ${total}`);
  collections.sort((a, b) => a.position - b.position);
  const times = shards.map((s) => [Date.parse(s.result.startedAt), Date.parse(s.result.finishedAt)]);
  return {
    checkIds: first.result.shard!.checkIds,
    collections: collections.map((x) => x.c),
    startedAt: new Date(Math.min(...times.map((t) => t[0]))),
    finishedAt: new Date(Math.max(...times.map((t) => t[1]))),
  };
}
