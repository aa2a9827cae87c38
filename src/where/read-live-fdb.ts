import type { Transport } from '../transport/types';
import { quoteArgv } from '../transport/quote-shell';
import { parseOvsAppctlFdbShow } from '../parse';
import type { FdbEntry } from '../parse';

/**
 * The live FDB layer of `where`: OVS's MAC learning table of each bridge (`ovs-appctl fdb/show
 * BR`), read-only. The live snapshot has no such section (nothing `run` judges needs it): `where`
 * reads it itself, one short command per node, on the bridges the snapshot found. br-int of the
 * OVS agent is a NORMAL-action bridge whose learned MACs are here; br-tun's learning is in its
 * flows (table 20, already in the snapshot).
 */

/** bridges the FDB is read on: br-int, br-ex and any other provider bridge; not br-tun (its learning is flows) */
export function fdbBridgesOf(bridges: string[]): string[] {
  return bridges.filter((b) => b !== 'br-tun').slice(0, 16);
}

/** one `ovs-appctl fdb/show` per bridge, each preceded by a marker line; bridges are argv words */
export function buildFdbShowCommand(bridges: string[]): string {
  return bridges.map((b) => `echo ${quoteArgv(['== fdb', b])}; ${quoteArgv(['ovs-appctl', 'fdb/show', b])} 2>&1`).join('; ');
}

/** splits the marked output back per bridge and parses each (pure) */
export function parseFdbShowOutput(text: string): { bridge: string; entries: FdbEntry[]; warnings: string[] }[] {
  const out: { bridge: string; entries: FdbEntry[]; warnings: string[] }[] = [];
  const parts = text.split(/^== fdb (.*)$/m);
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const r = parseOvsAppctlFdbShow(parts[i + 1]);
    out.push({ bridge: parts[i], entries: r.value, warnings: r.warnings.map((w) => `line ${w.line}: ${w.message}`) });
  }
  return out;
}

export async function readLiveFdb(transport: Transport, bridges: string[], sudo: boolean | undefined, timeoutMs: number): Promise<{ bridge: string; entries: FdbEntry[]; source: string }[] | string> {
  const list = fdbBridgesOf(bridges);
  if (list.length === 0) return [];
  const command = buildFdbShowCommand(list);
  const r = await transport.exec(command, { timeoutMs, sudo });
  if (r.failure) return `${r.failure.reason}: ${r.failure.message}`;
  return parseFdbShowOutput(r.stdout).map((b) => ({ bridge: b.bridge, entries: b.entries, source: `ovs-appctl fdb/show ${b.bridge}` }));
}
