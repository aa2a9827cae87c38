import { Option, type Command } from 'commander';
import path from 'node:path';
import { HaprobeError } from '../../errors';
import { reportExitCode } from '../context';
import { loadInventoryAuto } from '../../inventory';
import { loadProfile } from '../../profile';
import { loadFacts } from '../../model/load-facts';
import { formatsFor, renderReport, writeRunFile, loadWaivers, applyWaivers, describeWaiverOutcomes } from '../../report';
import type { RunResult } from '../../report/result';
import type { Role } from '../../model/types';
import type { OfflineCollection } from '../../analyze/build-collections';
import { pathsSource } from '../../analyze/snapshot-sources';
import { evaluateOffline } from '../../analyze/evaluate-offline';
import { exitCodeOf } from './run';
import { buildRunPlan, checksOfPlan } from '../../plan';
import { parseFileMode, parseTimeoutSeconds, prepareOutputDir } from '../options';
import { readCloudFacts } from '../../openstack/facts-from-cloud';
import type { Facts } from '../../model/facts';

export interface AnalyzeFlags {
  profile: string;
  profileOverride?: string;
  facts?: string;
  /** clouds.yaml entry: the expected state from the cloud's API now (as `run --cloud`) */
  cloud?: string;
  apiTimeout?: string;
  inventory?: string;
  check?: string[];
  skip?: string[];
  format: 'table' | 'json' | 'junit';
  output?: string;
  waivers?: string;
  fileMode?: string;
  failuresOnly?: boolean;
  quiet?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').filter(Boolean)];

export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze')
    .summary('judge sosreports, saved run files or pasted outputs (offline, same checks as run)')
    .description(
      'Run the profile\'s checks on what was collected elsewhere: sosreport tarballs (.tar.xz/.tar.gz, read in memory, ' +
        'never extracted) or directories (sos plugins networking, openvswitch, openstack_neutron), haprobe run files ' +
        '(`run --output DIR`: every section is kept as evidence), and folders of pasted outputs named by command ' +
        '(`ip_netns`, `ip_netns_exec_qrouter-…_ip_address_show`, `iptables-save` …). One node per sosreport (its hostname). ' +
        'Same run file and reports as `run`; every finding\'s evidence names the file it came from; what a source did ' +
        'not contain is skipped with that reason and listed as a "(missing)" warning.',
    )
    .argument('<path...>', 'sosreports, sosreport directories, run files, folders of pasted outputs')
    .requiredOption('-p, --profile <id|file>', 'HA profile id or a profile file')
    .option('--profile-override <file>', 'site override file merged over the profile')
    .option('-f, --facts <file>', 'facts file with the expected state')
    .option('--cloud <name>', 'read the expected state from this cloud\'s API instead (clouds.yaml entry; as `run --cloud`, docs/cloud-api.md)')
    .option('--api-timeout <seconds>', 'with --cloud: budget of one API request', '30')
    .option('-i, --inventory <file>', 'inventory: only the nodes\' roles are taken from it (nothing is contacted)')
    .option('--check <id>', 'run only these checks (repeat or comma-separate)', collect)
    .option('--skip <id>', 'skip these checks (repeat or comma-separate)', collect)
    .addOption(new Option('--format <format>', 'what to print on stdout').choices(formatsFor('run')).default('table'))
    .option('-o, --output <dir>', 'keep the run file (JSON, with evidence) in this history folder')
    .option('--waivers <file>', 'waivers YAML')
    .option('--file-mode <octal>', 'permission bits of the run file (default 600)')
    .option('--failures-only', 'table: leave passing rows out')
    .option('-q, --quiet', 'nothing on stderr but errors')
    .addHelpText(
      'after',
      '\nExamples:\n  haprobe analyze sosreport-net1-*.tar.xz sosreport-net2-*.tar.xz -p neutron-l3ha -f facts.json\n' +
        '  haprobe analyze sosreport-*.tar.xz -p neutron-l3ha --cloud mycloud\n' +
        '  haprobe analyze /var/lib/haprobe/history/run-….json -p neutron-l3ha\n' +
        '\nExit codes: 0 all checks pass · 1 findings · 2 usage/config error or unreadable source · 3 nodes unreachable in a saved run · 4 internal error',
    )
    .action(async (paths: string[], flags: AnalyzeFlags) => {
      const result = await analyzeCommand(paths, flags);
      reportExitCode(exitCodeOf(result));
    });
}

export function rolesFromInventory(file: string | undefined): ((node: string) => Role[] | undefined) | undefined {
  if (!file) return undefined;
  const inventory = loadInventoryAuto(file);
  const byName = new Map(inventory.nodes.map((n) => [n.name, n.roles]));
  return (node) => byName.get(node);
}

export function describeSources(collections: OfflineCollection[]): string[] {
  return collections.map((c) => {
    const files = c.source.files;
    const what = c.source.kind === 'evidence-bundle' ? `${c.source.sections?.length ?? 0} sections` : `${files?.used.length ?? 0} files`;
    const lines = [`${c.node.name} (${c.node.roles.join(',') || 'no role'}): ${c.source.kind} ${c.source.label}, ${what}${c.failure ? `, unreachable in that run` : ''}`];
    for (const m of c.missing) lines.push(`  missing: ${m}`);
    return lines.join('\n');
  });
}

/**
 * --cloud: the facts from the cloud's API, read now (typed ApiError on failure: exit 2, one line).
 * Note the API says what should exist NOW, the sosreports what was there when they were taken:
 * for an old case, `facts --cloud` written at the time is the better expected state.
 */
async function readFactsOfCloud(flags: AnalyzeFlags): Promise<{ facts: Facts; source: string; digest: string }> {
  const got = await readCloudFacts({ cloud: flags.cloud, timeoutMs: parseTimeoutSeconds(flags.apiTimeout ?? '30', '--api-timeout') });
  if (!flags.quiet) for (const w of got.warnings) process.stderr.write(`haprobe: ${got.source}: ${w}\n`);
  return { facts: got.facts, source: got.source, digest: got.digest };
}

export async function analyzeCommand(paths: string[], flags: AnalyzeFlags): Promise<RunResult> {
  const outputDir = flags.output !== undefined ? prepareOutputDir(flags.output, '--output') : undefined;
  const fileMode = flags.fileMode !== undefined ? parseFileMode(flags.fileMode) : undefined;
  const profile = loadProfile(flags.profile, { overrides: flags.profileOverride });
  const plan = buildRunPlan({ profile, only: flags.check, skip: flags.skip, facts: Boolean(flags.facts), cloud: Boolean(flags.cloud) });
  const checks = checksOfPlan(plan);
  if (flags.facts && flags.cloud) {
    throw new HaprobeError('usage', '--facts and --cloud both give the expected state: use one', { hint: 'to adjust what the API says, write it with `haprobe facts --cloud NAME -o F`, edit F and pass --facts F' });
  }
  const facts = flags.facts ? { ...loadFacts(flags.facts), source: path.resolve(flags.facts) } : flags.cloud ? await readFactsOfCloud(flags) : undefined;
  const waivers = flags.waivers ? loadWaivers(flags.waivers) : undefined;
  const rolesFor = rolesFromInventory(flags.inventory);
  // the snapshot source of every PATH (sosreports, run files, pasted outputs): nothing is contacted
  const collections = await pathsSource(paths, { facts: facts?.facts, rolesFor }).collect(plan);
  if (collections.length === 0) throw new HaprobeError('usage', 'no node in the given paths', { where: 'analyze PATH' });
  if (!flags.quiet) for (const line of describeSources(collections)) process.stderr.write(`haprobe: ${line}\n`);
  let result = evaluateOffline({ collections, profile, checks, facts, paths: paths.map((p) => path.resolve(p)) });
  if (waivers) {
    result = applyWaivers(result, waivers, new Date());
    for (const line of describeWaiverOutcomes(result)) process.stderr.write(`haprobe: ${line}\n`);
  }
  if (outputDir) {
    const file = writeRunFile(outputDir, result, { mode: fileMode });
    process.stderr.write(`haprobe: run file written to ${file}\n`);
  }
  const text = renderReport('run', flags.format, result, { color: Boolean(process.stdout.isTTY), failuresOnly: flags.failuresOnly });
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  return result;
}
