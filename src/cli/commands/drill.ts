import { Option, type Command } from 'commander';
import { HaprobeError } from '../../errors';
import { reportExitCode } from '../context';
import { EXIT } from '../exit-codes';
import { buildGarpRunResult } from '../../garp/build-run-result';
import { nodeStatuses } from './garp-verify';
import { parseFileMode, parseIpFlag, prepareOutputDir } from '../options';
import { recordHostKeyPolicy, warnIfHostKeysUnchecked } from '../host-keys';
import { isUuid } from '../../model/formats';
import type { Inventory } from '../../inventory/types';
import { describeDrill, DRILL_FAULTS, drillFailover, pickHaRouter, type DrillFault, type DrillOutcome } from '../../garp/drill-failover';
import { labNovaFaultInjector, labRouterFaultInjector, labStateDirFor, multiNicDrillOutcome, requireLab } from '../../garp/lab-adapter';
import { describeNovaDrill, drillNovaFailover } from '../../garp/drill-nova';
import { describeNovaMultinicDrill, drillNovaMultinicFailover } from '../../garp/drill-nova-multinic';
import { describeOvnDrill, drillOvnFailover, OVN_DRILL_FAULTS, type OvnDrillFault } from '../../garp/drill-ovn';
import { renderDrillJson, renderDrillRepeatJson, renderDrillRepeatTable, renderDrillTable } from '../../garp/render-drill';
import { onInterrupt } from '../../interrupt';
import { neutronStatePathOption, parseNeutronStatePath } from '../neutron-state-path';

export interface DrillFailoverCliOptions {
  inventory: string;
  facts: string;
  profile: string;
  router?: string;
  fault: DrillFault | OvnDrillFault;
  yesIMeanIt?: boolean;
  fip?: string;
  via?: 'lab' | 'ssh';
  stateDir?: string;
  output?: string;
  format: 'table' | 'json';
  fileMode?: string;
  /** run the drill N times in a row and print the distribution (issue 12: the loser of the race varies) */
  repeat?: string;
  neutronStatePath?: string;
}

const RANK = { pass: 0, skip: 0, warn: 1, fail: 2, error: 3 } as const;

/** `haprobe drill failover`: changes the cloud, so it refuses without --yes-i-mean-it */
export function registerDrillCommand(program: Command): void {
  const drill = program.command('drill').description('failover drills: break an HA router on purpose, measure, restore');
  drill
    .command('failover')
    .description('make the primary of an L3 HA router (or the active host of a nova-network hot standby pair, facts nova.standby; or with an OVN profile the gateway chassis claiming a router\'s cr-lrp port) fail; measure time to a new primary, its first G-ARP and the ping outage; restore. Multi-path designs (nova-network multi-NIC facts, -p neutron-multinic-aa): cut one path\'s network host and measure that the other path stays reachable')
    .requiredOption('-i, --inventory <file>', 'inventory (YAML or Ansible INI)')
    .requiredOption('-f, --facts <file>', 'facts file (expected state)')
    .requiredOption('-p, --profile <id>', 'HA profile (garp.failoverBudgetSeconds)')
    .option('--router <id>', 'L3 HA router (default: the only one in the facts; OVN: the only router with a cr-lrp port in the southbound)')
    .addOption(new Option('--fault <how>', 'how the primary fails (OVN profiles: stop-ovn-controller | exit-ovn-controller | tunnel-down)').choices([...DRILL_FAULTS, ...OVN_DRILL_FAULTS]).makeOptionMandatory())
    .option('--yes-i-mean-it', 'really do it (the drill interrupts traffic)')
    .option('--fip <ip>', 'floating IP behind the router to ping from the upstream (default: the router\'s first; OVN: the router\'s gateway address; nova multi-NIC: the FIP whose path is cut, default the first network\'s)')
    .addOption(new Option('--via <how>', 'how to inject the fault (default: lab for a lab inventory, else ssh)').choices(['lab', 'ssh']))
    .option('--state-dir <dir>', 'lab state dir (default: the folder of a lab inventory)')
    .option('-o, --output <dir>', 'write a run file (RunResult with drills[]) for `haprobe report`')
    .option('--file-mode <octal>', 'permission bits of the run file (default 600)')
    .addOption(neutronStatePathOption())
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--repeat <n>', 'run the drill n times (1–50) and print the distribution of the timings, verdicts and L2 flaps', '1')
    .addHelpText('after', '\nExit codes: 0 within budget · 1 over budget, client outage over budget or far longer than the takeover, an L2 flap, no failover, inconclusive (OVN: the fault did not fail the gateway), or cancelled (SIGINT/SIGTERM/SIGHUP: before the fault nothing is injected, after it the fault is restored) · 2 bad input, or --yes-i-mean-it missing · 3 a node the drill needs could not be reached or read (nothing injected)')
    .action(async (opts: DrillFailoverCliOptions) => {
      // issue 9: neutron-multinic-aa has no L3 failover; its drill measures the client behind the balancer
      if (opts.profile === 'neutron-multinic-aa') {
        reportExitCode((await runMultiNicDrill(opts)).verdict === 'pass' ? EXIT.OK : EXIT.FINDINGS);
        return;
      }
      const o = await runDrillFailover(opts);
      const worst = (o.runs ?? [o]).reduce((w, r) => (RANK[r.drill.verdict] > RANK[w] ? r.drill.verdict : w), o.drill.verdict);
      reportExitCode(worst === 'pass' ? EXIT.OK : EXIT.FINDINGS);
    });
}

export async function runDrillFailover(opts: DrillFailoverCliOptions, write: (t: string) => void = (t) => void process.stdout.write(t), warn: (t: string) => void = (t) => void process.stderr.write(t)): Promise<DrillOutcome & { runs?: DrillOutcome[] }> {
  const repeat = parseRepeat(opts.repeat);
  // flags first (issue 8): nothing is injected with a value that was not checked
  if (opts.router !== undefined && !isUuid(opts.router)) throw new HaprobeError('usage', `--router must be a router UUID, got "${opts.router}"`, { where: '--router' });
  const fip = opts.fip !== undefined ? parseIpFlag(opts.fip, '--fip') : undefined;
  const fileMode = opts.fileMode !== undefined ? parseFileMode(opts.fileMode) : undefined;
  const statePath = parseNeutronStatePath(opts.neutronStatePath);
  const stateDir = labStateDirFor(opts.inventory, opts.stateDir);
  const via = opts.via ?? (stateDir ? 'lab' : 'ssh');
  /* eslint-disable @typescript-eslint/no-var-requires */
  const { loadFacts } = require('../../model/load-facts') as typeof import('../../model/load-facts');
  const facts = loadFacts(opts.facts);
  const { loadProfile } = require('../../profile') as typeof import('../../profile');
  const profile = loadProfile(opts.profile);
  // issue 11: an OVN profile drills the gateway chassis of a router (cr-lrp), with OVN's own faults
  const ovn = isOvnDrillProfile(profile.checks.map((c) => c.id));
  const ovnFault = (OVN_DRILL_FAULTS as readonly string[]).includes(opts.fault);
  if (ovn !== ovnFault) {
    throw new HaprobeError('usage', ovn ? `--fault ${opts.fault} is a Neutron L3 HA fault; profile ${profile.id} is ML2/OVN` : `--fault ${opts.fault} needs an OVN profile (-p ovn), not ${profile.id}`, {
      where: '--fault', hint: ovn ? `OVN faults: ${OVN_DRILL_FAULTS.join(', ')}` : `faults: ${DRILL_FAULTS.join(', ')}`,
    });
  }
  // issue 9: a nova-network hot standby pair (facts nova.standby) is drilled by its own variant; any other
  // nova-network cloud by the multi-NIC drill (it refuses facts without two paths on different hosts)
  const novaFacts = !ovn && facts.facts.nova !== undefined && facts.facts.routers.length === 0;
  const nova = novaFacts && facts.facts.nova?.standby !== undefined;
  const novaMultinic = novaFacts && !nova;
  const router = novaFacts || ovn ? undefined : pickHaRouter(facts.facts, opts.router);
  if (!opts.yesIMeanIt) {
    const what = ovn ? describeOvnDrill(opts.fault as OvnDrillFault, opts.router, via) : router ? describeDrill(router.id, opts.fault as DrillFault, via)
      : novaMultinic ? describeNovaMultinicDrill({ facts: facts.facts, fault: opts.fault as DrillFault, fip, via }) : describeNovaDrill(facts.facts, opts.fault as DrillFault, via);
    throw new HaprobeError('usage', `refusing without --yes-i-mean-it: ${what}`, { where: 'drill failover' });
  }
  if (opts.output) prepareOutputDir(opts.output, '--output');
  const inventoryApi = require('../../inventory') as typeof import('../../inventory');
  const transportApi = require('../../transport') as typeof import('../../transport');
  /* eslint-enable @typescript-eslint/no-var-requires */
  // --via lab on the hand-built lab: the fault goes through the lab's own API, which records what to undo
  const labDir = via === 'lab' && !ovn ? requireLab(stateDir, 'drill failover') : undefined;
  const inventory = inventoryApi.loadInventoryAuto(opts.inventory);
  warnIfHostKeysUnchecked(inventory, warn);
  // SIGINT/SIGTERM/SIGHUP (or a fatal error) cancel the drill: it injects nothing or restores (issue 8)
  const cancel = new AbortController();
  const unregister = onInterrupt((reason) => cancel.abort(reason));
  const runs: DrillOutcome[] = [];
  try {
    for (let i = 1; i <= repeat; i++) {
      if (repeat > 1) warn(`haprobe: drill ${i}/${repeat}\n`);
      const base = { inventory, facts: facts.facts, profile, fip, via, stateDir: labDir, signal: cancel.signal };
      const common = { ...base, fault: opts.fault as DrillFault, ...(statePath ? { statePath } : {}) };
      const deps = { transportFor: (n: Parameters<typeof transportApi.createTransport>[0]) => transportApi.createTransport(n, inventory), progress: (l: string) => warn(`haprobe: ${repeat > 1 ? `[${i}/${repeat}] ` : ''}${l}\n`) };
      // the OVN drill works over SSH on a lab too (the lab's nodes run sshd): nothing lab-specific to undo
      const one = ovn
        ? await drillOvnFailover({ ...base, fault: opts.fault as OvnDrillFault, ...(opts.router !== undefined ? { router: opts.router } : {}) }, deps)
        : router
          ? await drillFailover({ ...common, router: router.id }, { ...deps, ...(labDir ? { injector: labRouterFaultInjector(common.fault, labDir) } : {}) })
          : novaMultinic
            ? await drillNovaMultinicFailover(common, deps)
            : await drillNovaFailover(common, { ...deps, ...(labDir ? { injector: labNovaFaultInjector(common.fault, labDir) } : {}) });
      runs.push(one);
      if (repeat > 1 && opts.format !== 'json') write(`--- drill ${i}/${repeat}\n${renderDrillTable(one)}`);
      if (one.cancelled || cancel.signal.aborted || one.primariesAfterRestore.length !== 1) break;
    }
  } finally {
    unregister();
  }
  const outcome: DrillOutcome = runs[runs.length - 1]!;
  if (repeat > 1) write(opts.format === 'json' ? renderDrillRepeatJson(runs) : renderDrillRepeatTable(runs));
  else write(opts.format === 'json' ? renderDrillJson(outcome) : renderDrillTable(outcome));
  // a drill cancelled before the fault changed nothing and measured nothing: no run file for it
  if (opts.output && outcome.cancelled?.phase !== 'before-fault') writeDrillRunFile({ output: opts.output, fileMode, profile: profile.id, inventory, facts: { source: opts.facts, digest: facts.digest }, runs }, warn);
  return repeat > 1 ? { ...outcome, runs } : outcome;
}

/** --repeat: 1–50 runs */
function parseRepeat(flag: string | undefined): number {
  const repeat = Number(flag ?? '1');
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 50) throw new HaprobeError('usage', `--repeat must be an integer from 1 to 50, got "${flag}"`, { where: '--repeat' });
  return repeat;
}

/** the run file of `drill failover --output`: every run that injected its fault, as RunResult.drills */
function writeDrillRunFile(o: { output: string; fileMode?: number; profile: string; inventory: Inventory; facts: { source: string; digest: string }; runs: DrillOutcome[] }, warn: (t: string) => void): void {
  /* eslint-disable @typescript-eslint/no-var-requires */
  const { writeRunFile } = require('../../report') as typeof import('../../report');
  const { inventoryDigest } = require('../../inventory') as typeof import('../../inventory');
  /* eslint-enable @typescript-eslint/no-var-requires */
  const last = o.runs[o.runs.length - 1]!;
  const result = buildGarpRunResult({
    profile: o.profile, inventory: o.inventory, inventoryDigest: inventoryDigest(o.inventory), facts: o.facts,
    startedAt: o.runs[0]!.drill.startedAt, finishedAt: new Date().toISOString(), nodes: nodeStatuses(o.inventory, last.sources), drills: o.runs.filter((r) => r.cancelled?.phase !== 'before-fault').map((r) => r.drill),
  });
  recordHostKeyPolicy(result, o.inventory);
  const file = writeRunFile(o.output, result, { mode: o.fileMode });
  warn(`haprobe: run file ${file}\n`);
}

/**
 * `drill failover -p neutron-multinic-aa` (issue 9, seed 001): lab only; link-down = r1's qg- down,
 * stop-node = the uplinks of r1's network node down; prints what the client behind haproxy saw.
 * --repeat and --output as for every drill (the runs as DrillOutcomes: multiNicDrillOutcome).
 */
export async function runMultiNicDrill(opts: DrillFailoverCliOptions, write: (t: string) => void = (t) => void process.stdout.write(t), warn: (t: string) => void = (t) => void process.stderr.write(t)): Promise<{ verdict: 'pass' | 'fail'; runs: DrillOutcome[] }> {
  if (opts.fault !== 'link-down' && opts.fault !== 'stop-node') {
    throw new HaprobeError('usage', `--fault ${opts.fault}: the multi-NIC drill takes a network node's router down with link-down (its qg-) or stop-node (the node's uplinks)`, { where: '--fault' });
  }
  const repeat = parseRepeat(opts.repeat);
  const fileMode = opts.fileMode !== undefined ? parseFileMode(opts.fileMode) : undefined;
  const stateDir = requireLab(labStateDirFor(opts.inventory, opts.stateDir), 'drill failover -p neutron-multinic-aa');
  if (!opts.yesIMeanIt) throw new HaprobeError('usage', `refusing without --yes-i-mean-it: ${opts.fault} on the network node of the first router of the multi-NIC pair (lab ${stateDir}), then restore`, { where: 'drill failover' });
  if (opts.output) prepareOutputDir(opts.output, '--output');
  /* eslint-disable @typescript-eslint/no-var-requires */
  const { loadProfile } = require('../../profile') as typeof import('../../profile');
  const { drillMultiNicFailover, renderMultiNicDrill } = require('../../lab/drill-multinic') as typeof import('../../lab/drill-multinic');
  /* eslint-enable @typescript-eslint/no-var-requires */
  const profile = loadProfile(opts.profile);
  const budgetSeconds = profile.garp.failoverBudgetSeconds ?? 10;
  const results: Awaited<ReturnType<typeof drillMultiNicFailover>>[] = [];
  const runs: DrillOutcome[] = [];
  for (let i = 1; i <= repeat; i++) {
    const startedAt = new Date().toISOString();
    const r = await drillMultiNicFailover({ stateDir, fault: opts.fault, budgetSeconds, progress: (l) => warn(`haprobe: ${repeat > 1 ? `[${i}/${repeat}] ` : ''}${l}\n`) });
    results.push(r);
    runs.push(multiNicDrillOutcome(r, startedAt));
    if (repeat > 1 && opts.format !== 'json') write(`--- drill ${i}/${repeat}\n${renderMultiNicDrill(r)}`);
  }
  const plain = results.map((r) => ({ ...r, samples: undefined }));
  if (opts.format === 'json') write(JSON.stringify(repeat > 1 ? { runs: plain } : plain[0], null, 2) + '\n');
  else write(repeat > 1 ? renderDrillRepeatTable(runs) : renderMultiNicDrill(results[0]!));
  if (opts.output) {
    /* eslint-disable @typescript-eslint/no-var-requires */
    const inventory = (require('../../inventory') as typeof import('../../inventory')).loadInventoryAuto(opts.inventory);
    const facts = (require('../../model/load-facts') as typeof import('../../model/load-facts')).loadFacts(opts.facts);
    /* eslint-enable @typescript-eslint/no-var-requires */
    writeDrillRunFile({ output: opts.output, fileMode, profile: profile.id, inventory, facts: { source: opts.facts, digest: facts.digest }, runs }, warn);
  }
  return { verdict: results.every((r) => r.verdict === 'pass') ? 'pass' : 'fail', runs };
}

/** an ML2/OVN profile: it runs the ovn-* checks (profiles/ovn.yaml) */
export function isOvnDrillProfile(checkIds: readonly string[]): boolean {
  return checkIds.some((id) => id.startsWith('ovn-'));
}
