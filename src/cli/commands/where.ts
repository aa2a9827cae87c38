import { Option, type Command } from 'commander';
import { HaprobeError } from '../../errors';
import { EXIT } from '../exit-codes';
import { reportExitCode } from '../context';
import { loadInventoryAuto, selectNodes } from '../../inventory';
import { TransportPool } from '../../transport';
import type { NodeCollection } from '../../collect/collect';
import { sshSource } from '../../collect/ssh-source';
import { loadFacts } from '../../model/load-facts';
import type { Facts } from '../../model/facts';
import { pathsSource } from '../../analyze/snapshot-sources';
import { rolesFromInventory } from './analyze';
import { parseWhereTarget } from '../../where/parse-target';
import { findPlaces, type WhereResult } from '../../where/find-places';
import { toWhereNodes } from '../../where/where-nodes';
import { readLiveFdb } from '../../where/read-live-fdb';
import { planWherePoints } from '../../where/garp-capture-points';
import { listenForGarps } from '../../where/listen-garp';
import { readCaptureFile } from '../../where/read-capture-file';
import type { GarpFrames } from '../../where/garp-places';
import { renderWhereText } from '../../where/render-where';
import { nodeDeadlineOption, parseCollectBudgets } from '../node-deadline';
import { neutronStatePathOption, parseNeutronStatePath } from '../neutron-state-path';
import { warnIfHostKeysUnchecked } from '../host-keys';

export interface WhereFlags {
  inventory?: string;
  facts?: string;
  node?: string[];
  format: 'table' | 'json';
  concurrency: string;
  timeout: string;
  /** per-node deadline, seconds: connect + snapshot of one node (issue 10, as run); default --timeout + 10 */
  nodeDeadline?: string;
  neutronStatePath?: string;
  /** live: capture ARP for this many seconds on the devices that can announce it (0 = no capture) */
  listen?: string;
  /** saved captures for the G-ARP layer: [NODE=]FILE */
  capture?: string[];
}

/** longest --listen: a short look, not a watch (`garp watch` is the long one) */
const MAX_LISTEN_S = 120;

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').filter(Boolean)];

export function registerWhereCommand(program: Command): void {
  program
    .command('where')
    .summary('every place an IP or MAC appears: addresses, routes, rules, NAT, OVS, keepalived, neighbours, facts')
    .description(
      'Answers "who has this IP / MAC, everywhere?" live (-i INVENTORY: one read-only snapshot per node, as `run`) or offline ' +
        '(PATH…: sosreports, run files, pasted outputs, as `analyze`): node/namespace/device addresses, routes and ip rules, ' +
        'iptables rules naming it, OVS ports and flows (arp_spa, nw_dst, dl_src …), keepalived VIP lists with their state, ' +
        'neighbour entries on every node and the upstream, OVS FDB entries (sosreports), and the facts\' ports, floating IPs ' +
        'and instances. Flags disagreements: two owners, two keepalived primaries, a neighbour entry with a MAC no owner has, ' +
        'a DNAT in a namespace without the address, a router namespace on a node that must not have it, two G-ARP announcers. ' +
        'Live, OVS\'s MAC learning tables (ovs-appctl fdb/show) are read too, and --listen SECONDS captures who announces it.',
    )
    .argument('<address>', 'IPv4/IPv6 address or MAC')
    .argument('[path...]', 'offline sources (as `analyze`); without them, -i or --capture is required')
    .option('-i, --inventory <file>', 'read the nodes live over SSH (read-only); offline: only their roles')
    .option('-f, --facts <file>', 'facts file: ports, floating IPs, instances')
    .option('--node <name>', 'live: only these nodes', collect)
    .addOption(new Option('--format <format>', 'output').choices(['table', 'json']).default('table'))
    .option('--concurrency <n>', 'nodes read at once', '16')
    .option('--timeout <seconds>', 'budget for one node\'s snapshot', '120')
    .addOption(nodeDeadlineOption())
    .addOption(neutronStatePathOption())
    .option('--listen <seconds>', `live: also capture ARP this long (at most ${MAX_LISTEN_S}) on the devices that can announce it and the upstream, for the G-ARP layer`, '0')
    .option('--capture <[node=]file>', 'saved capture (pcap or tcpdump -e text) for the G-ARP layer; repeatable', collect)
    .addHelpText('after', '\nExit codes: 0 found, no disagreement (or not found) · 1 disagreements · 2 usage error · 3 a node could not be read (live)')
    .action(async (address: string, paths: string[], flags: WhereFlags) => {
      const { result, unreachable } = await whereCommand(address, paths, flags);
      process.stdout.write(flags.format === 'json' ? JSON.stringify(result, null, 2) + '\n' : renderWhereText(result));
      if (result.problems.length > 0) reportExitCode(EXIT.FINDINGS);
      else if (unreachable > 0) reportExitCode(EXIT.UNREACHABLE);
    });
}

export async function whereCommand(address: string, paths: string[], flags: WhereFlags): Promise<{ result: WhereResult; unreachable: number }> {
  const target = parseWhereTarget(address);
  const facts: Facts | undefined = flags.facts ? loadFacts(flags.facts).facts : undefined;
  const listenS = parseListen(flags.listen ?? '0');
  const captures: GarpFrames[] = (flags.capture ?? []).map(readCaptureFile);
  let collections: NodeCollection[];
  let whereNodes;
  if (paths.length > 0) {
    if (listenS > 0) throw new HaprobeError('usage', '--listen captures live: not with offline PATHs', { where: '--listen', hint: 'give saved captures with --capture FILE' });
    collections = await pathsSource(paths, { facts, rolesFor: rolesFromInventory(flags.inventory) }).collect();
    whereNodes = toWhereNodes(collections);
  } else if (!flags.inventory && captures.length > 0) {
    // only saved captures: the G-ARP layer (and the facts) alone
    collections = [];
    whereNodes = toWhereNodes(collections);
  } else {
    if (!flags.inventory) throw new HaprobeError('usage', 'where needs -i INVENTORY (live), PATHs or --capture FILEs (offline)', { where: 'where' });
    const { concurrency, timeoutMs, deadlineMs } = parseCollectBudgets(flags);
    parseNeutronStatePath(flags.neutronStatePath);
    const inventory = loadInventoryAuto(flags.inventory);
    warnIfHostKeysUnchecked(inventory, (t) => void process.stderr.write(t));
    const nodes = selectNodes(inventory, { names: flags.node });
    const pool = new TransportPool(inventory, { concurrency, defaultTimeoutMs: timeoutMs });
    try {
      const source = sshSource((n) => pool.get(n), { concurrency, timeoutMs, deadlineMs, ...(flags.neutronStatePath ? { statePath: flags.neutronStatePath } : {}) });
      collections = await source.collect({ nodes: { nodes } });
      whereNodes = toWhereNodes(collections);
      // the live FDB layer: OVS's MAC learning tables, read-only, on the bridges each snapshot found
      for (const w of whereNodes) {
        const node = nodes.find((n) => n.name === w.snapshot.node);
        const bridges = (w.snapshot.ovs?.bridges ?? []).map((b) => b.name);
        if (!node || bridges.length === 0) continue;
        const fdb = await readLiveFdb(pool.get(node), bridges, node.sudo, Math.min(timeoutMs, 30_000));
        if (typeof fdb === 'string') process.stderr.write(`haprobe: ${node.name}: OVS FDB not read: ${fdb}\n`);
        else w.fdb = fdb;
      }
      if (listenS > 0) {
        const points = planWherePoints(target, findPlaces(target, whereNodes, facts).places, whereNodes);
        const byName = new Map(nodes.map((n) => [n.name, n]));
        const got = await listenForGarps(points, (name) => {
          const n = byName.get(name);
          return n ? { transport: pool.get(n), sudo: n.sudo } : undefined;
        }, listenS, (k) => void process.stderr.write(`haprobe: listening for G-ARPs on ${k} device(s) for ${listenS} s\n`));
        for (const e of got.errors) process.stderr.write(`haprobe: ${e}\n`);
        captures.push(...got.captures);
      }
    } finally {
      await pool.closeAll();
    }
  }
  const unreachable = collections.filter((c) => c.failure);
  for (const c of unreachable) process.stderr.write(`haprobe: ${c.node.name} not read: ${c.failure!.reason}: ${c.failure!.message}\n`);
  const result = findPlaces(target, whereNodes, facts, { captures });
  for (const c of unreachable) result.searched.push({ node: c.node.name, notRead: [`everything (${c.failure!.reason})`] });
  return { result, unreachable: unreachable.length };
}

function parseListen(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > MAX_LISTEN_S) throw new HaprobeError('usage', `--listen wants whole seconds from 0 to ${MAX_LISTEN_S}, got "${v}"`, { where: '--listen' });
  return n;
}
