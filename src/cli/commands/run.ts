import type { Command } from 'commander';
import { Option } from 'commander';
import path from 'node:path';
import { HaprobeError } from '../../errors';
import { EXIT } from '../exit-codes';
import { reportExitCode } from '../context';
import { loadInventoryAuto, inventoryDigest } from '../../inventory';
import { TransportPool } from '../../transport';
import { profilesDir } from '../../profile/profiles-dir';
import { profileResolver } from '../../profile/profile-file';
import type { Facts } from '../../model/facts';
import { formatsFor } from '../../report/reporters';
import type { RunResult } from '../../report/result';
import type { Check } from '../../engine/types';
import type { InventoryNode } from '../../inventory/types';
import { planNodes } from '../../plan/plan-nodes';
import { NODE_REACHABLE_CHECK } from '../../engine/evaluate';
import { checkOutputFile, parseFileMode, parseTimeoutSeconds, prepareOutputDir } from '../options';
import { nodeDeadlineOption, parseCollectBudgets } from '../node-deadline';
import { neutronStatePathOption, parseNeutronStatePath } from '../neutron-state-path';
import { warnIfHostKeysUnchecked, recordHostKeyPolicy } from '../host-keys';
import { parseShardSpec } from '../../inventory/shard';
import type { NodeCollection } from '../../collect/collect';
import type { Transport } from '../../transport/types';

// What a run needs only once its nodes are known — the profile with the checks, facts, engine,
// progress, reports — is required inside runCommand, after the SSH handshakes have started
// (issue 10: loading it took ~0.2 s that the handshakes now hide). `typeof import` keeps the types.
const heavy = () => ({
  profile: require('../../profile/load-profile') as typeof import('../../profile/load-profile'),
  facts: require('../../model/load-facts') as typeof import('../../model/load-facts'),
  hwGateway: require('../../profile/refuse-hw-gateway') as typeof import('../../profile/refuse-hw-gateway'),
  plan: require('../../plan/build-run-plan') as typeof import('../../plan/build-run-plan'),
  engine: require('../../engine/run') as typeof import('../../engine/run'),
  progress: require('../progress') as typeof import('../progress'),
  report: require('../../report') as typeof import('../../report'),
  sshSource: (require('../../collect/ssh-source') as typeof import('../../collect/ssh-source')).sshSource,
});

/**
 * The modules behind heavy(), deepest first, one per event-loop turn: a handshake waits for our
 * loop at each of its round trips, and one 100 ms require blocks them all (issue 10).
 */
const STAGED_LOADS: (() => unknown)[] = [
  () => require('../../parse'),
  () => require('../../collect/collected'),
  () => require('../../../checks/index'),
  () => require('../../profile/load-profile'),
  () => require('../../report'),
];

/** lets the event loop turn (the handshakes in flight read their sockets) between synchronous steps */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface RunFlags {
  inventory: string;
  profile: string;
  profileOverride?: string;
  facts?: string;
  /** clouds.yaml entry: facts read from the cloud's API instead of a file (docs/cloud-api.md) */
  cloud?: string;
  apiTimeout?: string;
  check?: string[];
  skip?: string[];
  node?: string[];
  role?: string[];
  format: 'table' | 'json' | 'junit';
  output?: string;
  waivers?: string;
  prometheus?: string;
  /** per-subject haprobe_check_status series: all (default), failing, none (issue 10) */
  prometheusSubjects?: 'all' | 'failing' | 'none';
  concurrency: string;
  timeout: string;
  /** per-node deadline, seconds: connect + snapshot of one node (issue 10); default --timeout + 10 */
  nodeDeadline?: string;
  failuresOnly?: boolean;
  /** table: list passing rows too (every check × subject) */
  all?: boolean;
  /** commander's --no-color: false; undefined otherwise */
  color?: boolean;
  quiet?: boolean;
  fileMode?: string;
  /** neutron state_path on the nodes (ha_confs lives below it); default /var/lib/neutron */
  neutronStatePath?: string;
  /** K/N: read only the K-th of N stable slices of the selected nodes (issue 10) */
  shard?: string;
  /** listen for VRRP adverts on every HA replica's ha- device for 3 × advert_int after collection (issue 12) */
  listenVrrp?: boolean;
}

/** defaults of the options the demo also passes (one place, so both agree) */
export const RUN_DEFAULTS = { concurrency: '16', timeout: '120' } as const;

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').filter(Boolean)];

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .summary('validate a deployment against its HA profile (read-only)')
    .description(
      'Collect a snapshot of every node over SSH (one connection and one batched script per node), ' +
        'parse it, and run the profile\'s checks. Read-only: nothing on the nodes is changed. ' +
        'Expected state comes from --facts (routers, ports, floating IPs, agents) or, without it, ' +
        'from self-consistency across nodes.',
    )
    .requiredOption('-i, --inventory <file>', 'inventory: haprobe YAML or an Ansible INI inventory')
    .requiredOption('-p, --profile <id|file>', 'HA profile id (neutron-legacy, neutron-l3ha, neutron-dvr, neutron-dvr-snat-ha) or a profile file')
    .option('--profile-override <file>', 'site override file merged over the profile')
    .option('-f, --facts <file>', 'facts file with the expected state (see README "Facts file")')
    .option('--cloud <name>', 'read the expected state from this cloud\'s API instead (clouds.yaml entry; see docs/cloud-api.md)')
    .option('--api-timeout <seconds>', 'with --cloud: budget of one API request', '30')
    .option('--check <id>', 'run only these checks (repeat or comma-separate)', collect)
    .option('--skip <id>', 'skip these checks (repeat or comma-separate)', collect)
    .option('--node <name>', 'only these nodes (repeat or comma-separate)', collect)
    .option('--role <role>', 'only nodes with these roles', collect)
    .addOption(new Option('--format <format>', 'what to print on stdout').choices(formatsFor('run')).default('table'))
    .option('-o, --output <dir>', 'keep the run file (JSON, with evidence) in this history folder')
    .option('--waivers <file>', 'waivers YAML: findings accepted until an expiry date')
    .option('--prometheus <file>', 'write node_exporter textfile metrics here')
    .addOption(new Option('--prometheus-subjects <which>', 'haprobe_check_status series per subject: all, only failing ones, or none (per-check aggregates are always written)').choices(['all', 'failing', 'none']).default('all'))
    .option('--concurrency <n>', 'nodes read at once', RUN_DEFAULTS.concurrency)
    .option('--timeout <seconds>', 'budget for one node\'s snapshot (at most 2147483)', RUN_DEFAULTS.timeout)
    .addOption(nodeDeadlineOption())
    .option('--file-mode <octal>', 'permission bits of the run file (default 600) and the --prometheus file (default 644)')
    .addOption(neutronStatePathOption())
    .option('--shard <K/N>', 'read only the K-th of N stable slices of the nodes (by node name hash); join the run files with `haprobe merge`')
    .option('--listen-vrrp', 'after reading the nodes, capture VRRP (tcpdump, IP proto 112) on every HA router\'s ha- device for 3 × advert_int and name the replicas that hear no advert from the primary (docs/ha-redundancy.md)')
    .option('--all', 'table: list every check × subject, passing rows too (default: one line per check, then what did not pass)')
    .option('--failures-only', 'table: leave checks whose every subject passed out of the per-check lines')
    .option('--no-color', 'no colours in the table (also off when stdout is no TTY or NO_COLOR is set)')
    .option('-q, --quiet', 'no progress on stderr')
    .addHelpText(
      'after',
      '\nExamples:' +
        '\n  haprobe run -i inventory.yaml -p neutron-l3ha -f facts.json' +
        '\n  haprobe run -i hosts.ini -p neutron-dvr --format junit > haprobe.xml' +
        '\n  haprobe run -i inventory.yaml -p neutron-legacy --output /var/lib/haprobe/history --prometheus /var/lib/node_exporter/haprobe.prom' +
        '\nExit codes: 0 all checks pass · 1 findings · 2 usage/config error · 3 nodes unreachable (no other finding) · 4 internal error',
    )
    .action(async (flags: RunFlags) => {
      const result = await runCommand(flags);
      reportExitCode(exitCodeOf(result));
    });
}

/**
 * Colour in the table only for a person at a terminal: stdout a TTY, no --no-color, and no
 * NO_COLOR (https://no-color.org: set and not empty turns colour off).
 */
export function wantsColor(isTTY: boolean | undefined, env: NodeJS.ProcessEnv, flag: boolean | undefined): boolean {
  return Boolean(isTTY) && flag !== false && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}

/** The exit code a pipeline reads from a run (docs/exit-codes.md). */
export function exitCodeOf(result: RunResult): typeof EXIT[keyof typeof EXIT] {
  const open = result.findings.filter((f) => !f.waived && (f.verdict === 'fail' || f.verdict === 'error'));
  if (open.some((f) => f.checkId !== NODE_REACHABLE_CHECK.id)) return EXIT.FINDINGS;
  if (result.nodes.some((n) => !n.reachable)) return EXIT.UNREACHABLE;
  return EXIT.OK;
}

/** how many checks a run reports: the selected ones plus node-reachable (assembleRunResult lists both) */
export function countRunChecks(selected: readonly Pick<Check, 'id'>[]): number {
  return selected.filter((c) => c.id !== NODE_REACHABLE_CHECK.id).length + 1;
}

/** --cloud: the facts from the cloud's API (typed ApiError on failure: exit 2, one line) */
async function readFactsOfCloud(flags: RunFlags): Promise<{ facts: Facts; source: string; digest: string }> {
  const { readCloudFacts } = require('../../openstack/facts-from-cloud') as typeof import('../../openstack/facts-from-cloud');
  const got = await readCloudFacts({ cloud: flags.cloud, timeoutMs: parseTimeoutSeconds(flags.apiTimeout ?? '30', '--api-timeout') });
  if (!flags.quiet) for (const w of got.warnings) process.stderr.write(`haprobe: ${got.source}: ${w}\n`);
  return { facts: got.facts, source: got.source, digest: got.digest };
}

/**
 * `--listen-vrrp` (issue 12): after collection, listen for VRRP adverts on every HA replica's ha-
 * device over the run's transports. The snapshots are plain data: what each replica heard lands in
 * its HaRouterState (and the run file).
 */
async function listenVrrpAfterCollect(collections: NodeCollection[], nodes: InventoryNode[], transportFor: (node: InventoryNode) => Transport, log: (line: string) => void): Promise<void> {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const reached = new Set(collections.filter((c) => c.snapshot).map((c) => c.node.name));
  const { listenForVrrp } = require('../../capture/listen-vrrp') as typeof import('../../capture/listen-vrrp');
  const { buildCloudSnapshot } = require('../../engine/run') as typeof import('../../engine/run');
  await listenForVrrp(buildCloudSnapshot(collections), {
    transportFor: (name) => (reached.has(name) && byName.has(name) ? transportFor(byName.get(name)!) : undefined),
    sudo: (name) => byName.get(name)?.sudo,
    log,
  });
}

export async function runCommand(flags: RunFlags): Promise<RunResult> {
  if (flags.facts && flags.cloud) {
    throw new HaprobeError('usage', '--facts and --cloud both give the expected state: use one', { hint: 'to adjust what the API says, write it with `haprobe facts --cloud NAME -o F`, edit F and pass --facts F' });
  }
  const { concurrency, timeoutMs, deadlineMs } = parseCollectBudgets(flags);
  const fileMode = flags.fileMode !== undefined ? parseFileMode(flags.fileMode) : undefined;
  parseNeutronStatePath(flags.neutronStatePath);
  // outputs are checked before anything is collected (issue 8: a file, /proc or /sys as --output)
  const outputDir = flags.output !== undefined ? prepareOutputDir(flags.output, '--output') : undefined;
  if (flags.prometheus !== undefined) checkOutputFile(flags.prometheus, '--prometheus');
  const inventory = loadInventoryAuto(flags.inventory);
  warnIfHostKeysUnchecked(inventory, (t) => void process.stderr.write(t));
  const shard = flags.shard !== undefined ? parseShardSpec(flags.shard) : undefined;
  const planned = planNodes(inventory, { names: flags.node, roles: flags.role as InventoryNode['roles'], shard });
  const { selected, nodes } = planned;
  if (shard && !flags.quiet) process.stderr.write(`haprobe: shard ${shard.index}/${shard.count}: ${nodes.length} of ${selected.length} node(s); cross-node checks see only this shard until \`haprobe merge\`\n`);
  // a mistyped -p is refused before any node is logged into; what the profile says is read below
  profileResolver(profilesDir(), { byFileName: true })(flags.profile);

  const pool = new TransportPool(inventory, { concurrency, defaultTimeoutMs: timeoutMs });
  let output;
  let refused: unknown;
  let lib: ReturnType<typeof heavy>;
  let waivers: ReturnType<typeof lib.report.loadWaivers> | undefined;
  let checkIds: string[] = [];
  try {
    // the first --concurrency nodes (the ones collection takes first) start their handshakes now:
    // loading the profile, checks, facts and waivers runs while sshd works. A broken file found
    // below closes these connections unused: nothing runs on a node before all inputs are read.
    pool.preconnect(nodes.slice(0, concurrency));
    for (const load of STAGED_LOADS) {
      await breathe();
      load();
    }
    lib = heavy();
    await breathe();
    const profile = lib.profile.loadProfile(flags.profile, { overrides: flags.profileOverride });
    const plan = lib.plan.buildRunPlan({ profile, nodes: planned, only: flags.check, skip: flags.skip, facts: Boolean(flags.facts), cloud: Boolean(flags.cloud) });
    const checks = lib.plan.checksOfPlan(plan);
    await breathe();
    const facts = flags.facts ? { ...lib.facts.loadFacts(flags.facts), source: path.resolve(flags.facts) } : flags.cloud ? await readFactsOfCloud(flags) : undefined;
    lib.hwGateway.refuseHwGatewayWithVlan(profile.id, facts?.facts);
    waivers = flags.waivers ? lib.report.loadWaivers(flags.waivers) : undefined;
    await breathe();

    const plain = lib.progress.isPlainProgress();
    const progress = lib.progress.createProgress<object>(
      // the same count as the summary line (result.checks): node-reachable, which the engine adds to every run, is a check too
      [{ title: `collect ${nodes.length} node(s), then ${countRunChecks(checks)} checks of ${profile.id}`, task: async (_ctx, task) => {
        let done = 0;
        // a typed refusal (data plane of another kind than the profile) must reach main's exit code, not vanish in the progress list
        try {
          output = await lib.engine.executeRun({
            inventory,
            inventoryDigest: inventoryDigest(inventory),
            nodes,
            profile,
            checks,
            facts,
            ...(flags.listenVrrp ? { afterCollect: (c: NodeCollection[]) => listenVrrpAfterCollect(c, nodes, (node) => pool.get(node), (line) => void (task.output = line)) } : {}),
            source: lib.sshSource((node) => pool.get(node), {
              concurrency,
              timeoutMs,
              deadlineMs,
              release: (n) => pool.release(n),
              ...(flags.neutronStatePath ? { statePath: flags.neutronStatePath } : {}),
              onNodeDone: (c) => {
                done += 1;
                if (!lib.progress.showsNodeUpdate({ plain, done, total: nodes.length, failed: c.failure !== undefined })) return;
                task.output = `${c.node.name}: ${c.failure ? `unreachable (${c.failure.reason})` : `read in ${c.durationMs} ms`} [${done}/${nodes.length}]`;
              },
            }),
          });
        } catch (err) {
          refused = err;
          throw err;
        }
      }, rendererOptions: { persistentOutput: true } as never }],
      { quiet: flags.quiet },
    );
    await progress.run({});
    checkIds = checks.map((c) => c.id);
  } finally {
    await pool.closeAll();
  }
  if (refused instanceof HaprobeError) throw refused;
  if (!output) throw new HaprobeError('internal', 'run produced no result');
  let result = (output as { result: RunResult }).result;
  if (shard) {
    const position = new Map(selected.map((n, i) => [n.name, i]));
    const collections = (output as { collections: NodeCollection[] }).collections;
    result.shard = {
      index: shard.index,
      count: shard.count,
      selectedTotal: selected.length,
      checkIds,
      nodes: nodes.map((n) => ({ name: n.name, address: n.address, port: n.port, roles: n.roles, position: position.get(n.name)! })),
      snapshots: lib.engine.buildCloudSnapshot(collections).nodes,
    };
  }
  if (waivers) {
    result = lib.report.applyWaivers(result, waivers, new Date());
    for (const line of lib.report.describeWaiverOutcomes(result)) process.stderr.write(`haprobe: ${line}\n`);
  }
  recordHostKeyPolicy(result, inventory);
  if (outputDir) {
    const file = lib.report.writeRunFile(outputDir, result, { mode: fileMode });
    process.stderr.write(`haprobe: run file written to ${file}\n`);
  }
  if (flags.prometheus) lib.report.writePrometheusFile(flags.prometheus, lib.report.renderReport('run', 'prometheus', result, { prometheusSubjects: flags.prometheusSubjects }), { mode: fileMode });
  const warnings = result.warnings ?? [];
  if (warnings.length > 0 && !flags.quiet) {
    process.stderr.write(`haprobe: ${warnings.length} line(s) of output were not understood (see "warnings" in --format json)\n`);
  }
  const text = lib.report.renderReport('run', flags.format, result, {
    color: wantsColor(process.stdout.isTTY, process.env, flags.color),
    all: flags.all,
    failuresOnly: flags.failuresOnly,
    statePath: flags.neutronStatePath,
  });
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  return result;
}

