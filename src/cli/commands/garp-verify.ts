import { Option, type Command } from 'commander';
import { HaprobeError } from '../../errors';
import { reportExitCode } from '../context';
import { EXIT } from '../exit-codes';
import type { Inventory, InventoryNode } from '../../inventory/types';
import type { NodeStatus } from '../../report/result';
import type { SourceResult } from '../../capture/live';
import { parseDuration } from '../options';
import { buildGarpRunResult } from '../../garp/build-run-result';
import { labFipTrigger, labStateDirFor, requireLab, type LabGarpMode } from '../../garp/lab-adapter';
import { renderVerifyJson, renderVerifyTable } from '../../garp/render-verify';
import { toGarpVerification } from '../../garp/to-garp-verification';
import { verifyGarp, type VerifyGarpResult } from '../../garp/verify-garp';
import type { GarpAction } from '../../garp/garp-action';
import { parseFileMode, parseIpFlag, prepareOutputDir } from '../options';
import { recordHostKeyPolicy, warnIfHostKeysUnchecked } from '../host-keys';
import { neutronStatePathOption, parseNeutronStatePath } from '../neutron-state-path';
import { dataPlaneOfProfile } from '../../engine/detect-deployment';

export interface GarpVerifyCliOptions {
  inventory: string;
  facts: string;
  profile: string;
  fip: string;
  associate?: string;
  disassociate?: boolean;
  via?: 'lab' | 'openstack';
  stateDir?: string;
  deadline: string;
  format: 'table' | 'json';
  output?: string;
  pcapDir?: string;
  labGarp: LabGarpMode;
  fileMode?: string;
  neutronStatePath?: string;
}

/** `haprobe garp verify` (added next to `garp watch`) */
export function registerGarpVerify(garp: Command): void {
  garp
    .command('verify')
    .description('capture on the nodes that must (and must not) announce a floating IP, optionally make the change, judge the G-ARPs')
    .requiredOption('-i, --inventory <file>', 'inventory (YAML or Ansible INI)')
    .requiredOption('-f, --facts <file>', 'facts file (expected state)')
    .requiredOption('-p, --profile <id>', 'HA profile (expected G-ARP pattern per event)')
    .requiredOption('--fip <ip>', 'floating IP to verify')
    .option('--associate <instance>', 'associate the FIP with this instance (name or id) while capturing')
    .option('--disassociate', 'disassociate the FIP while capturing (nothing may announce it after)')
    .addOption(new Option('--via <how>', 'how to make the change (default: lab when the inventory is a lab inventory)').choices(['lab', 'openstack']))
    .option('--state-dir <dir>', 'lab state dir (default: the folder of a lab inventory)')
    .option('--deadline <time>', 'first correct G-ARP must come within this time of the change', '10s')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('-o, --output <dir>', 'write a run file (RunResult with garp[]) for `haprobe report`')
    .option('--pcap-dir <dir>', 'keep the raw pcap stream of every capture point')
    .option('--file-mode <octal>', 'permission bits of the run file (default 600)')
    .addOption(neutronStatePathOption())
    .addOption(new Option('--lab-garp <mode>', 'lab only: how the lab announces (none / wrong-sender reproduce the missing-garp / wrong-sender-garp faults)').choices(['normal', 'none', 'wrong-sender']).default('normal'))
    .addHelpText('after', '\nRead-only unless --associate or --disassociate is given.\nExit codes: 0 PASS · 1 FAIL or INCONCLUSIVE · 2 bad input or options · 3 a node it needs could not be reached or read')
    .action(async (opts: GarpVerifyCliOptions) => {
      const r = await runGarpVerify(opts);
      reportExitCode(r.status === 'PASS' ? EXIT.OK : EXIT.FINDINGS);
    });
}

export async function runGarpVerify(opts: GarpVerifyCliOptions, write: (t: string) => void = (t) => void process.stdout.write(t), warn: (t: string) => void = (t) => void process.stderr.write(t)): Promise<VerifyGarpResult> {
  if (opts.associate !== undefined && opts.disassociate) throw new HaprobeError('usage', '--associate and --disassociate exclude each other', { where: 'garp verify' });
  const action: GarpAction | undefined = opts.associate !== undefined ? { kind: 'associate', instance: opts.associate } : opts.disassociate ? { kind: 'disassociate' } : undefined;
  const deadlineMs = parseDuration(opts.deadline, '--deadline');
  const fip = parseIpFlag(opts.fip, '--fip');
  const fileMode = opts.fileMode !== undefined ? parseFileMode(opts.fileMode) : undefined;
  const statePath = parseNeutronStatePath(opts.neutronStatePath);
  const stateDir = labStateDirFor(opts.inventory, opts.stateDir);
  const via = opts.via ?? (stateDir ? 'lab' : 'openstack');
  if (action && via === 'openstack') {
    throw new HaprobeError('usage', `--${action.kind} --via openstack is not implemented yet`, { where: 'garp verify', hint: 'make the change yourself and run without --associate/--disassociate (read-only watch), or use --via lab on a lab' });
  }
  if (opts.labGarp !== 'normal' && via !== 'lab') throw new HaprobeError('usage', '--lab-garp only works with --via lab', { where: 'garp verify' });
  if (opts.output) ensureDir(opts.output, '--output');
  if (opts.pcapDir) ensureDir(opts.pcapDir, '--pcap-dir');
  /* eslint-disable @typescript-eslint/no-var-requires */
  const inventoryApi = require('../../inventory') as typeof import('../../inventory');
  const transportApi = require('../../transport') as typeof import('../../transport');
  const { loadFacts } = require('../../model/load-facts') as typeof import('../../model/load-facts');
  const { loadProfile } = require('../../profile') as typeof import('../../profile');
  /* eslint-enable @typescript-eslint/no-var-requires */
  const inventory = inventoryApi.loadInventoryAuto(opts.inventory);
  warnIfHostKeysUnchecked(inventory, warn);
  const facts = loadFacts(opts.facts);
  const profile = loadProfile(opts.profile);
  const trigger = action ? labFipTrigger(requireLab(stateDir, `--${action.kind}`), fip, action, opts.labGarp) : undefined;
  const result = await verifyGarp(
    { inventory, facts: facts.facts, profile, fip, action, trigger, deadlineMs, pcapDir: opts.pcapDir, ovn: ovnOptionOf(profile), ...(statePath ? { statePath } : {}) },
    { transportFor: (n) => transportApi.createTransport(n, inventory), progress: (l) => warn(`haprobe: ${l}\n`) },
  );
  write(opts.format === 'json' ? renderVerifyJson(result) : renderVerifyTable(result));
  if (opts.output) {
    const runResult = buildGarpRunResult({
      profile: profile.id, inventory, inventoryDigest: inventoryApi.inventoryDigest(inventory), facts: { source: opts.facts, digest: facts.digest },
      startedAt: result.startedAt, finishedAt: result.finishedAt, nodes: nodeStatuses(inventory, result.sources), garp: [toGarpVerification(result)],
    });
    recordHostKeyPolicy(runResult, inventory);
    const file = (require('../../report') as typeof import('../../report')).writeRunFile(opts.output, runResult, { mode: fileMode });
    warn(`haprobe: run file ${file}\n`);
  }
  return result;
}

/** an OVN profile (`ovn`, `ovn-*`): who announces is read from OVN (issue 11); its distributedFloatingIps param */
function ovnOptionOf(profile: { id: string; params?: Record<string, unknown> }): { distributed: boolean | 'auto' } | undefined {
  if (dataPlaneOfProfile(profile.id) !== 'ovn') return undefined;
  const d = profile.params?.['distributedFloatingIps'];
  return { distributed: d === true || d === 'true' ? true : d === false || d === 'false' ? false : 'auto' };
}

/** nodes a capture ran on, reachable unless their transport failed (a failed command is not unreachability) */
export function nodeStatuses(inv: Inventory, sources: SourceResult[]): NodeStatus[] {
  const used = [...new Set(sources.map((s) => s.node))];
  return used.map((name) => {
    const node = inv.nodes.find((n) => n.name === name) as InventoryNode;
    const failed = sources.find((s) => s.node === name && s.failure && s.failure.reason !== 'command');
    const st: NodeStatus = { name, address: node?.address ?? '', roles: node?.roles ?? [], reachable: !failed };
    if (failed?.failure) {
      st.reason = failed.failure.reason;
      st.message = failed.failure.message;
    }
    return st;
  });
}

/** an output folder, checked before anything is captured or changed (cli/options.ts) */
export function ensureDir(dir: string, where: string): void {
  prepareOutputDir(dir, where);
}
