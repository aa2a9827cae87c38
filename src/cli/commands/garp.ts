import * as fs from 'fs';
import { Option, type Command } from 'commander';
import { HaprobeError } from '../../errors';
import { reportExitCode } from '../context';
import { EXIT } from '../exit-codes';
import type { Inventory, InventoryNode } from '../../inventory/types';
import type { Transport } from '../../transport/types';
import { decodePcapBuffer } from '../../capture/pcap';
import { decodeRecord } from '../../capture/frame';
import { parseTcpdumpText } from '../../capture/tcpdump-text';
import { analyzeFrames, type GarpAnalysis } from '../../capture/analyze-capture';
import { renderGarpHeader, renderGarpJson, renderGarpRow, renderGarpSummary, renderGarpTable } from '../../capture/render-garp';
import { CAPTURE_FILTER_WITH_ICMP6, formatCaptureSpec, parseCaptureSpec, startLiveCapture, type CaptureTarget, type SourceResult } from '../../capture/live';
import type { HaWindowRole } from '../../capture/backup-emissions';
import { haWatchPoints, readStateWords, windowRoles } from '../../garp/read-window-roles';
import { resolveCaptureTarget } from '../../capture/bridge-fallback';
import { PATTERNS, type PatternId } from '../../capture/patterns';
import type { GarpExpectation } from '../../capture/verdict';
import type { CapturedFrame } from '../../capture/types';
import { registerGarpVerify } from './garp-verify';
import { buildOvnChassisProbeCommand } from '../../garp/ovn-drill-commands';
import { isDeviceName, listProviderUplinks, parseOvnChassisProbe } from '../../garp/ovn-chassis-probe';
import { parseDuration, parseEpochSeconds, parseIpFlag, parseMacFlag } from '../options';
import { warnIfHostKeysUnchecked } from '../host-keys';
import { neutronStatePathOption, parseNeutronStatePath } from '../neutron-state-path';

export interface GarpWatchOptions {
  pcap?: string;
  text?: string;
  inventory?: string;
  node?: string[];
  on?: string[];
  duration: string;
  format: 'table' | 'json';
  watchIp?: string[];
  expectIp?: string;
  expectMac?: string;
  pattern: string;
  deadline: string;
  eventTime?: string;
  /** live: neutron state_path on the nodes (which replica is a backup, §7 row 13) */
  neutronStatePath?: string;
}

/** I/O the live mode needs; injectable for tests (defaults: the inventory loader and transport factory). */
export interface GarpDeps {
  loadInventory: (file: string) => Inventory;
  selectNodes: (inv: Inventory, names: string[]) => InventoryNode[];
  createTransport: (node: InventoryNode, inv: Inventory) => Transport;
  write: (text: string) => void;
  warn: (text: string) => void;
}

function defaultDeps(): GarpDeps {
  // required lazily so offline analysis never loads ssh2
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const inventory = require('../../inventory') as typeof import('../../inventory');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const transport = require('../../transport') as typeof import('../../transport');
  return {
    loadInventory: (f) => inventory.loadInventoryAuto(f),
    selectNodes: (inv, names) => inventory.selectNodes(inv, { names }),
    createTransport: (n, inv) => transport.createTransport(n, inv),
    write: (t) => void process.stdout.write(t),
    warn: (t) => void process.stderr.write(t),
  };
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** `haprobe garp …`; returns the `garp` command so `verify` can be added next to `watch`. */
export function registerGarpCommand(program: Command, deps?: Partial<GarpDeps>): Command {
  const garp = program.command('garp').description('capture and judge gratuitous ARPs (G-ARPs) and VRRP adverts');
  garp
    .command('watch')
    .description('show ARP/VRRP events (and ICMPv6 a router qg- sends) and anomalies from a capture file, or live from nodes over SSH')
    .option('--pcap <file>', 'analyse a pcap file (tcpdump -w)')
    .option('--text <file>', 'analyse tcpdump text output (tcpdump -n -e …)')
    .option('-i, --inventory <file>', 'live: inventory (YAML or Ansible INI)')
    .option('--node <name>', 'live: node to capture on (repeatable)', collect)
    .option('--on <point>', 'live: br-ex | br-int | DEVICE | ns:NAMESPACE:DEVICE | ovn-uplinks (ML2/OVN: what leaves each chassis\' provider bridge, so each row names the chassis that sent it) (repeatable)', collect)
    .option('--duration <time>', 'live: how long to capture (60s, 2m, 500ms)', '60s')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--watch-ip <ip>', 'IP being announced (FIP/VIP): flags "who-has IP tell <other>" frames (repeatable)', collect)
    .option('--expect-ip <ip>', 'judge G-ARPs for this IP (needs --expect-mac)')
    .option('--expect-mac <mac>', 'the MAC that must own --expect-ip')
    .addOption(new Option('--pattern <id>', 'expected G-ARP pattern').choices(Object.keys(PATTERNS)).default('any'))
    .option('--deadline <time>', 'first correct G-ARP must come within this time of the event', '10s')
    .option('--event-time <epoch>', 'event time (epoch seconds, capture clock); default: first frame / capture start')
    .addOption(neutronStatePathOption())
    .addHelpText('after', '\nExit codes: 0 no anomaly · 1 anomalies (or a FAIL verdict) · 2 bad input or options')
    .action(async (opts: GarpWatchOptions) => {
      const d = { ...defaultDepsLazy(), ...deps } as GarpDeps;
      const code = await runGarpWatch(opts, d);
      reportExitCode(code);
    });
  registerGarpVerify(garp);
  return garp;
}

function defaultDepsLazy(): Partial<GarpDeps> {
  return {
    write: (t) => void process.stdout.write(t),
    warn: (t) => void process.stderr.write(t),
  };
}

/** The command body; returns the exit code (0 no anomaly, 1 anomalies, 3 a node could not be captured on). Throws HaprobeError on bad input. */
export async function runGarpWatch(opts: GarpWatchOptions, deps: Partial<GarpDeps>): Promise<0 | 1 | 3> {
  const d = { ...defaultDepsLazy(), ...deps } as GarpDeps;
  const sources = [opts.pcap, opts.text, opts.inventory].filter((x) => x !== undefined);
  if (sources.length !== 1) {
    throw new HaprobeError('usage', 'give exactly one of --pcap, --text or --inventory', { where: 'garp watch' });
  }
  const expectation = buildExpectation(opts);
  // issue 8: `--event-time abc` became NaN and silently judged nothing
  let windowStart = opts.eventTime !== undefined ? parseEpochSeconds(opts.eventTime, '--event-time') : undefined;
  const watchedIps = opts.watchIp?.map((ip) => parseIpFlag(ip, '--watch-ip'));
  if (opts.neutronStatePath !== undefined && opts.inventory === undefined) {
    throw new HaprobeError('usage', '--neutron-state-path is read on the nodes: it needs a live capture (--inventory), not a file', { where: 'garp watch' });
  }
  const statePath = parseNeutronStatePath(opts.neutronStatePath);
  let frames: CapturedFrame[];
  let extra: Record<string, unknown> = {};
  let unreachable = false;
  let liveRows = false;
  let haRoleOf: ((node: string, routerId: string) => HaWindowRole) | undefined;
  if (opts.pcap !== undefined) frames = readPcapFile(opts.pcap);
  else if (opts.text !== undefined) frames = readTextFile(opts.text, d.warn);
  else {
    // issue 13: live, each frame is a row the moment it arrives (table format); the verdict and anomalies follow at the end
    const watchedForRows = [...(watchedIps ?? []), ...(expectation ? [expectation.ip] : [])];
    const onRow =
      opts.format === 'json'
        ? undefined
        : (f: CapturedFrame): void => {
            for (const e of analyzeFrames([f], { watchedIps: watchedForRows }).events) d.write(renderGarpRow(e) + '\n');
          };
    const live = await captureLive({ ...opts, neutronStatePath: statePath }, { ...defaultDeps(), ...deps }, onRow && { onStart: () => d.write(renderGarpHeader() + '\n'), onFrame: onRow });
    liveRows = onRow !== undefined;
    frames = live.frames;
    windowStart ??= live.startedAt;
    extra = { sources: live.results, notes: live.notes };
    haRoleOf = live.haRoleOf;
    // a capture that did not run must never read as an empty one (issue 15): non-zero exit
    unreachable = live.results.some((r) => r.failure !== undefined || r.error !== undefined);
  }
  const analysis: GarpAnalysis = analyzeFrames(frames, { watchedIps, expectation, windowStart, final: true, haRoleOf });
  d.write(
    opts.format === 'json'
      ? renderGarpJson(analysis, extra)
      : liveRows
        ? `${analysis.events.length === 0 ? '(no ARP or VRRP frame)\n' : ''}\n${renderGarpSummary(analysis)}`
        : renderGarpTable(analysis),
  );
  if (unreachable && opts.format !== 'json') {
    const failed = (extra.sources as SourceResult[]).filter((r) => r.error !== undefined || r.failure !== undefined);
    d.write(`capture FAILED on ${failed.length} point(s), the frames above are incomplete:\n${failed.map((r) => `  ${r.error ?? `${r.node} ${r.device}: ${r.failure?.message}`}`).join('\n')}\n`);
  }
  if (analysis.anomalies.length > 0) return EXIT.FINDINGS;
  return unreachable ? EXIT.UNREACHABLE : EXIT.OK;
}

function buildExpectation(opts: GarpWatchOptions): GarpExpectation | undefined {
  if (opts.expectIp === undefined && opts.expectMac === undefined) return undefined;
  if (!opts.expectIp || !opts.expectMac) throw new HaprobeError('usage', '--expect-ip and --expect-mac go together', { where: 'garp watch' });
  if (!(opts.pattern in PATTERNS)) throw new HaprobeError('usage', `unknown pattern ${opts.pattern}`, { where: '--pattern' });
  return { ip: parseIpFlag(opts.expectIp, '--expect-ip'), mac: parseMacFlag(opts.expectMac, '--expect-mac'), pattern: opts.pattern as PatternId, deadlineMs: parseDuration(opts.deadline, '--deadline') };
}

function readInput(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new HaprobeError('capture', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { where: file, cause: err });
  }
}

export function readPcapFile(file: string): CapturedFrame[] {
  const r = decodePcapBuffer(readInput(file));
  if (!r.header || (r.records.length === 0 && r.warnings.length > 0)) {
    throw new HaprobeError('capture', r.warnings[0] ?? 'not a pcap file', { where: file, hint: 'write captures with tcpdump -w FILE' });
  }
  if (r.warnings.length > 0) process.stderr.write(`haprobe: ${file}: ${r.warnings.join('; ')}\n`);
  return r.records.map(decodeRecord);
}

export function readTextFile(file: string, warn: (t: string) => void): CapturedFrame[] {
  const r = parseTcpdumpText(readInput(file).toString('utf8'));
  if (r.value.length === 0 && r.warnings.length > 0) {
    throw new HaprobeError('capture', `no tcpdump packet line understood (first problem line ${r.warnings[0].line}: ${r.warnings[0].message})`, { where: file });
  }
  for (const w of r.warnings.slice(0, 20)) warn(`haprobe: ${file}:${w.line}: ${w.message}\n`);
  return r.value;
}

/** `--on ovn-uplinks`: every provider bridge uplink of the node (ML2/OVN), outbound only */
export const OVN_UPLINKS = 'ovn-uplinks';

/**
 * ML2/OVN (issue 11): a G-ARP of ovn-controller floods the provider network, so every chassis'
 * br-ex shows every chassis' frames; only what LEAVES a chassis' provider bridge uplink was sent
 * by that chassis. The uplinks come from the drill's chassis probe (ovn-bridge-mappings → bridge →
 * its system ports); each is captured outbound, so each row's node is the chassis that sent it.
 */
export async function resolveOvnUplinks(transport: Transport, sudo: boolean | undefined): Promise<{ chassis: string; targets: CaptureTarget[] } | { error: string }> {
  const r = await transport.exec(buildOvnChassisProbeCommand(), { sudo, timeoutMs: 20_000 }).catch((e: unknown) => ({ failure: { message: String(e) }, exitCode: null, stdout: '', stderr: '' }));
  if (r.failure || r.exitCode !== 0) return { error: `OVN chassis probe failed (${r.failure ? r.failure.message : `exit ${String(r.exitCode)}`})` };
  const p = parseOvnChassisProbe(r.stdout).value;
  const devs = listProviderUplinks(p).flatMap((b) => b.uplinks).filter(isDeviceName);
  if (devs.length === 0) return { error: 'no OVN provider bridge uplink (ovn-bridge-mappings bridge without a system port)' };
  return { chassis: p.systemId ?? 'this node', targets: devs.map((device) => ({ device, direction: 'out' as const })) };
}

/**
 * A namespace device (a router's qg-/fg-) is captured twice, `-Q in` and `-Q out`, so each frame
 * carries its direction: HA qg- ports share one MAC on every replica, and a G-ARP a backup's qg-
 * merely received is not that node's announcement (issue 15). A bridge is a wire point: once.
 * What a qg- sends is also captured for ICMPv6 (MLD reports, DAD): an L3 HA backup must send
 * none (§7 row 13, lp#1859832).
 */
export function withDirections(t: CaptureTarget): CaptureTarget[] {
  if (!t.namespace) return [t];
  const out: CaptureTarget = { ...t, direction: 'out' };
  if (t.device.startsWith('qg-') && t.filter === undefined) out.filter = CAPTURE_FILTER_WITH_ICMP6;
  return [out, { ...t, direction: 'in' }];
}

async function captureLive(
  opts: GarpWatchOptions,
  d: GarpDeps,
  rows?: { onStart: () => void; onFrame: (f: CapturedFrame) => void },
): Promise<{ frames: CapturedFrame[]; results: SourceResult[]; startedAt: number; notes: string[]; haRoleOf?: (node: string, routerId: string) => HaWindowRole }> {
  const inv = d.loadInventory(opts.inventory as string);
  warnIfHostKeysUnchecked(inv, d.warn);
  const nodes = d.selectNodes(inv, opts.node ?? []);
  const points = (opts.on && opts.on.length > 0 ? opts.on : ['br-ex']).map(parseCaptureSpec);
  const durationMs = parseDuration(opts.duration, '--duration');
  const transports = nodes.map((n) => ({ node: n, transport: d.createTransport(n, inv) }));
  const frames: CapturedFrame[] = [];
  const notes: string[] = [];
  // a bridge that is down (br-ex under real agents) is replaced by where its frames pass
  const sources = (
    await Promise.all(
      transports.map(async ({ node, transport }) => {
        const per = await Promise.all(
          points.map(async (asked) => {
            if (asked.device === OVN_UPLINKS && !asked.namespace) {
              const o = await resolveOvnUplinks(transport, node.sudo);
              const note = 'error' in o ? `${node.name}: ${o.error}: not captured` : `${node.name}: chassis ${o.chassis}: frames leaving ${o.targets.map((t) => t.device).join(', ')} (its provider bridge uplinks) were sent by it`;
              notes.push(note);
              d.warn(`haprobe: ${note}\n`);
              return 'error' in o ? [] : o.targets;
            }
            const plan = await resolveCaptureTarget(transport, node.sudo, asked).catch(() => ({ targets: [asked], note: undefined }));
            if (plan.note) {
              notes.push(`${node.name}: ${plan.note}`);
              d.warn(`haprobe: ${node.name}: ${plan.note}\n`);
            }
            return plan.targets;
          }),
        );
        return per.flat().flatMap(withDirections).map((target) => ({ node: node.name, transport, target, sudo: node.sudo }));
      }),
    )
  ).flat();
  // §7 row 13: which replicas are backups for the whole window (state files before and after)
  const haPoints = haWatchPoints(sources.map((s) => ({ node: s.node, transport: s.transport, sudo: s.sudo, device: formatCaptureSpec(s.target) })));
  const statePath = opts.neutronStatePath;
  const statesBefore = haPoints.length > 0 ? await readStateWords(haPoints, statePath) : new Map<string, string | undefined>();
  let statesAfter = new Map<string, string | undefined>();
  const startedAt = Date.now() / 1000;
  rows?.onStart();
  const cap = startLiveCapture({
    sources,
    onFrame: (f) => {
      frames.push(f);
      rows?.onFrame(f);
    },
  });
  let timer: NodeJS.Timeout | undefined;
  let ended = false;
  // the operator (and a script driving the watch) learns when the capture is live, not only that the process started
  void cap.ready.then(() => {
    if (!ended) d.warn(`haprobe: capture ready on ${sources.length} point(s); the watch ends after ${opts.duration} or on Ctrl-C\n`);
  });
  try {
    await Promise.race([cap.done, new Promise<void>((r) => (timer = setTimeout(r, durationMs)))]);
  } finally {
    ended = true;
    if (timer) clearTimeout(timer);
    await cap.stop();
    if (haPoints.length > 0) statesAfter = await readStateWords(haPoints, statePath);
    await Promise.all(transports.map((t) => t.transport.close().catch(() => undefined)));
  }
  const results = await cap.done;
  for (const r of results) {
    if (r.error) d.warn(`haprobe: ${r.error}\n`);
    else if (r.failure) d.warn(`haprobe: ${r.node}: capture on ${r.device} failed (${r.failure.reason}): ${r.failure.message}\n`);
    for (const w of r.warnings) if (!r.error?.endsWith(w)) d.warn(`haprobe: ${r.node} ${r.device}: ${w}\n`);
  }
  frames.sort((a, b) => a.ts - b.ts);
  return { frames, results, startedAt, notes, haRoleOf: haPoints.length > 0 ? windowRoles(statesBefore, statesAfter) : undefined };
}
