import type { Command } from 'commander';
import { Option } from 'commander';
import { loadInventoryAuto, selectNodes } from '../../inventory';
import type { InventoryNode } from '../../inventory/types';
import { TransportPool } from '../../transport';
import { doctorExitCode, renderDoctorJson, renderDoctorTable, runDoctor, type DoctorReport } from '../../doctor';
import { reportExitCode } from '../context';
import { nodeDeadlineOption, parseCollectBudgets } from '../node-deadline';
import { neutronStatePathOption, parseNeutronStatePath } from '../neutron-state-path';
import { warnIfHostKeysUnchecked } from '../host-keys';

export interface DoctorFlags {
  inventory: string;
  node?: string[];
  role?: string[];
  format: 'table' | 'json';
  concurrency: string;
  timeout: string;
  nodeDeadline?: string;
  neutronStatePath?: string;
  quiet?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').filter(Boolean)];

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .summary('preflight every node: SSH, sudo, the tools haprobe needs, agent containers, clock')
    .description(
      'Check, per node and in parallel, what `haprobe run` and `garp` need: SSH reachable with a known host key, ' +
        '`sudo -n` (when the inventory says sudo), ip with -j, iptables-save and its backend, ovs-vsctl/ovs-ofctl, ' +
        'tcpdump, which arping (neutron needs iputils\'), agents in docker/podman containers and where keepalived and ' +
        'ha_confs really are, and the clock offset to this machine. Every warning and failure comes with its fix. ' +
        'Read-only. See docs/init-and-doctor.md.',
    )
    .requiredOption('-i, --inventory <file>', 'inventory: haprobe YAML or an Ansible INI inventory')
    .option('--node <name>', 'only these nodes (repeat or comma-separate)', collect)
    .option('--role <role>', 'only nodes with these roles', collect)
    .addOption(new Option('--format <format>', 'what to print on stdout').choices(['table', 'json']).default('table'))
    .option('--concurrency <n>', 'nodes checked at once', '16')
    .option('--timeout <seconds>', 'budget for one node\'s probe', '60')
    .addOption(nodeDeadlineOption('probe'))
    .addOption(neutronStatePathOption())
    .option('-q, --quiet', 'no progress on stderr')
    .addHelpText('after', '\nExample:\n  haprobe doctor -i inventory.yaml\n\nExit codes: 0 all ok (warnings allowed) · 1 a node fails a check · 2 usage/config error · 3 nodes unreachable (no other failure) · 4 internal error')
    .action(async (flags: DoctorFlags) => {
      const report = await doctorCommand(flags);
      reportExitCode(doctorExitCode(report));
    });
}

export async function doctorCommand(flags: DoctorFlags): Promise<DoctorReport> {
  const { concurrency, timeoutMs, deadlineMs } = parseCollectBudgets(flags);
  parseNeutronStatePath(flags.neutronStatePath);
  const inventory = loadInventoryAuto(flags.inventory);
  warnIfHostKeysUnchecked(inventory, (t) => void process.stderr.write(t));
  const nodes = selectNodes(inventory, { names: flags.node, roles: flags.role as InventoryNode['roles'] });
  const pool = new TransportPool(inventory, { concurrency, defaultTimeoutMs: timeoutMs, connectTimeoutMs: 10_000 });
  let done = 0;
  let report: DoctorReport;
  try {
    report = await runDoctor({
      inventory, nodes, concurrency, timeoutMs, deadlineMs, statePath: flags.neutronStatePath,
      transportFor: (n) => pool.get(n),
      onNodeDone: (name) => {
        done += 1;
        if (!flags.quiet && process.stderr.isTTY) process.stderr.write(`\rhaprobe doctor: ${done}/${nodes.length} (${name})\x1b[K`);
      },
    });
  } finally {
    if (!flags.quiet && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    await pool.closeAll();
  }
  const text = flags.format === 'json' ? renderDoctorJson(report) : renderDoctorTable(report, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR });
  process.stdout.write(text);
  return report;
}
