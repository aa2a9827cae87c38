import type { Transport } from '../transport/types';
import { quoteArgv } from '../transport/quote-shell';

/**
 * keepalived state of one HA router on each hosting node, read over SSH: the state file written
 * by neutron-keepalived-state-change (`primary`/`backup`, `master` before Victoria; ground-truth
 * §2e') and whether the primary VIP 169.254.0.<vrid> sits on the node's ha- device.
 */
export interface HaNodeState {
  node: string;
  /** state file content, undefined when unreadable */
  state?: string;
  /** primary VIP present on ha-; undefined when not asked or unreadable */
  hasVip?: boolean;
  /** transport or command failure */
  error?: string;
}

export const DEFAULT_NEUTRON_STATE_PATH = '/var/lib/neutron';

export interface HaProbeTarget {
  node: string;
  transport: Transport;
  sudo?: boolean;
  /** ha- device name on that node (to look for the primary VIP) */
  haDevice?: string;
}

/**
 * the remote command; output: state line, then "VIP" when the VIP is on ha-. Router id, state
 * path, device and VIP come from facts and flags: each is one quoted argv word (issue 8); `dev`
 * and `--` keep a value that looks like a keyword or an option a value.
 */
export function buildHaStateCommand(routerId: string, statePath: string, haDevice?: string, vip?: string): string {
  const state = `${quoteArgv(['cat', '--', `${statePath}/ha_confs/${routerId}/state`])} 2>/dev/null; echo`;
  if (!haDevice || !vip) return state;
  const addr = quoteArgv(['ip', '-n', `qrouter-${routerId}`, '-o', '-4', 'addr', 'show', 'dev', haDevice]);
  return `${state}; ${addr} 2>/dev/null | ${quoteArgv(['grep', '-qF', '--', ` ${vip}/`])} && echo VIP || true`;
}

export function parseHaStateOutput(node: string, stdout: string, askedVip: boolean): HaNodeState {
  const lines = stdout.split('\n').map((l) => l.trim());
  const state = lines[0] ? lines[0] : undefined;
  return { node, state, hasVip: askedVip ? lines.includes('VIP') : undefined };
}

export async function readHaStates(targets: HaProbeTarget[], routerId: string, opts: { statePath?: string; vip?: string; timeoutMs?: number } = {}): Promise<HaNodeState[]> {
  const statePath = opts.statePath ?? DEFAULT_NEUTRON_STATE_PATH;
  return Promise.all(
    targets.map(async (t): Promise<HaNodeState> => {
      const r = await t.transport.exec(buildHaStateCommand(routerId, statePath, t.haDevice, opts.vip), { sudo: t.sudo, timeoutMs: opts.timeoutMs ?? 5000 });
      if (r.failure) return { node: t.node, error: `${r.failure.reason}: ${r.failure.message}` };
      return parseHaStateOutput(t.node, r.stdout, t.haDevice !== undefined && opts.vip !== undefined);
    }),
  );
}

/** nodes that are primary: state file primary/master (and, when asked, holding the VIP) */
export function primariesOf(states: HaNodeState[]): string[] {
  return states.filter((s) => (s.state === 'primary' || s.state === 'master') && s.hasVip !== false).map((s) => s.node);
}
