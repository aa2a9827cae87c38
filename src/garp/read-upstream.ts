import { parseIpNeigh } from '../parse/parse-ip-neigh';
import type { Neighbour } from '../model/types';
import type { Transport } from '../transport/types';
import { inNamespace } from '../transport/in-namespace';
import { quoteArgv } from '../transport/quote-shell';

/**
 * The receiver side of a G-ARP: the upstream gateway's neighbour entry for the FIP
 * (facts.upstream; ground-truth §1e "only the upstream L2 location changes").
 */
export interface UpstreamNeighbour {
  node: string;
  command: string;
  output: string;
  entry?: Neighbour;
  expectedMac: string;
  /** entry has the expected MAC in a usable state */
  ok: boolean;
  message: string;
  error?: string;
}

/**
 * `ip neigh show to FIP` on the upstream, in its namespace. The FIP and namespace come from facts
 * and flags: quoted argv words (issue 8); `to` makes a FIP spelled like a keyword (`proxy`,
 * `dev`) the address ip looks up.
 */
export function buildNeighCommand(ip: string, namespace?: string): string {
  return quoteArgv(inNamespace(namespace, ['ip', 'neigh', 'show', 'to', ip]));
}

/** `ip -o route get to FIP` on the upstream (same quoting as buildNeighCommand) */
export function buildRouteGetCommand(ip: string, namespace?: string): string {
  return quoteArgv(inNamespace(namespace, ['ip', '-o', 'route', 'get', 'to', ip]));
}

/** pure: judge `ip neigh show FIP` output against the MAC that must own the FIP */
export function judgeUpstreamNeighbour(node: string, command: string, output: string, fip: string, expectedMac: string): UpstreamNeighbour {
  const entry = parseIpNeigh(output).value.find((n) => n.ip === fip);
  const mac = expectedMac.toLowerCase();
  const base = { node, command, output, entry, expectedMac: mac };
  if (!entry || !entry.mac) {
    return { ...base, ok: false, message: `upstream ${node} has no MAC for ${fip}${entry?.state ? ` (${entry.state})` : ''}: it will ARP on the next packet` };
  }
  if (entry.mac !== mac) return { ...base, ok: false, message: `upstream ${node} points ${fip} at ${entry.mac}, expected ${mac}${entry.state ? ` (${entry.state})` : ''}` };
  if (entry.state === 'FAILED' || entry.state === 'INCOMPLETE') return { ...base, ok: false, message: `upstream ${node} entry for ${fip} is ${entry.state}` };
  return { ...base, ok: true, message: `upstream ${node} points ${fip} at ${mac} (${entry.state ?? 'no state'})` };
}

export async function readUpstreamNeighbour(t: { node: string; transport: Transport; sudo?: boolean; namespace?: string }, fip: string, expectedMac: string): Promise<UpstreamNeighbour> {
  const command = buildNeighCommand(fip, t.namespace);
  const r = await t.transport.exec(command, { sudo: t.sudo, timeoutMs: 10_000 });
  if (r.failure || r.exitCode !== 0) {
    const error = r.failure ? `${r.failure.reason}: ${r.failure.message}` : `exit ${String(r.exitCode)}: ${r.stderr.trim()}`;
    return { node: t.node, command, output: r.stdout, expectedMac, ok: false, message: `could not read the upstream neighbour on ${t.node}: ${error}`, error };
  }
  return judgeUpstreamNeighbour(t.node, command, r.stdout, fip, expectedMac);
}

/** `ip route get FIP` on the upstream → the device the FIP is reached through */
export function parseRouteGetDevice(output: string): string | undefined {
  return /\bdev (\S+)/.exec(output)?.[1];
}

export async function upstreamDeviceFor(t: { transport: Transport; sudo?: boolean; namespace?: string }, fip: string): Promise<string | undefined> {
  const r = await t.transport.exec(buildRouteGetCommand(fip, t.namespace), { sudo: t.sudo, timeoutMs: 10_000 });
  return r.exitCode === 0 ? parseRouteGetDevice(r.stdout) : undefined;
}
