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
  /**
   * ok: the expected MAC in a usable state; wrong: another MAC (the cache still sends the FIP's
   * traffic elsewhere — what a missing G-ARP leaves); unresolved: no MAC at all (none, FAILED,
   * INCOMPLETE: the next packet resolves it by broadcast, nothing points the wrong way);
   * unread: the command failed
   */
  status: 'ok' | 'wrong' | 'unresolved' | 'unread';
  /** status === 'ok' */
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
  if (!entry || !entry.mac || entry.state === 'FAILED' || entry.state === 'INCOMPLETE') {
    return { ...base, status: 'unresolved', ok: false, message: `upstream ${node} has no MAC for ${fip}${entry?.state ? ` (${entry.state})` : ''}: it will ARP on the next packet` };
  }
  if (entry.mac !== mac) return { ...base, status: 'wrong', ok: false, message: `upstream ${node} points ${fip} at ${entry.mac}, expected ${mac}${entry.state ? ` (${entry.state})` : ''}` };
  return { ...base, status: 'ok', ok: true, message: `upstream ${node} points ${fip} at ${mac} (${entry.state ?? 'no state'})` };
}

export async function readUpstreamNeighbour(t: { node: string; transport: Transport; sudo?: boolean; namespace?: string }, fip: string, expectedMac: string): Promise<UpstreamNeighbour> {
  const command = buildNeighCommand(fip, t.namespace);
  const r = await t.transport.exec(command, { sudo: t.sudo, timeoutMs: 10_000 });
  if (r.failure || r.exitCode !== 0) {
    const error = r.failure ? `${r.failure.reason}: ${r.failure.message}` : `exit ${String(r.exitCode)}: ${r.stderr.trim()}`;
    return { node: t.node, command, output: r.stdout, expectedMac, status: 'unread', ok: false, message: `could not read the upstream neighbour on ${t.node}: ${error}`, error };
  }
  return judgeUpstreamNeighbour(t.node, command, r.stdout, fip, expectedMac);
}

/**
 * Why an upstream holds no MAC although the G-ARPs reached it: Linux ignores a G-ARP that
 * repeats the MAC of an entry it is probing (neigh_update keeps DELAY/PROBE when the address
 * is unchanged), so a probe sent while the FIP was away ends FAILED after the announcement.
 * Seen on the lab (the upstream had pinged the FIP just before it was disassociated) and
 * reproduced on two bare namespaces. `garpsArrived`: announcements with the expected MAC that
 * the receiver capture saw after the change (undefined: no capture there).
 */
export function explainUnresolved(n: UpstreamNeighbour, garpsArrived: number | undefined): UpstreamNeighbour {
  if (n.status !== 'unresolved' || garpsArrived === undefined) return n;
  const why = garpsArrived > 0
    ? `${garpsArrived} G-ARP(s) with ${n.expectedMac} reached it, most likely while it was probing the FIP's old entry (Linux keeps probing when a G-ARP repeats the MAC it holds, and a probe sent while the FIP was away then fails) — harmless: nothing points elsewhere`
    : `no G-ARP with ${n.expectedMac} reached it (see the wire above)`;
  return { ...n, message: `${n.message}; ${why}` };
}

/** `ip route get FIP` on the upstream → the device the FIP is reached through */
export function parseRouteGetDevice(output: string): string | undefined {
  return /\bdev (\S+)/.exec(output)?.[1];
}

export async function upstreamDeviceFor(t: { transport: Transport; sudo?: boolean; namespace?: string }, fip: string): Promise<string | undefined> {
  const r = await t.transport.exec(buildRouteGetCommand(fip, t.namespace), { sudo: t.sudo, timeoutMs: 10_000 });
  return r.exitCode === 0 ? parseRouteGetDevice(r.stdout) : undefined;
}
