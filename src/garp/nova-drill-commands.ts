import { quoteArgv } from '../transport/quote-shell';

/**
 * Remote commands of the nova-network hot standby drill (issue 9). Bridge, interfaces and the
 * pid file come from facts and flags: each is one quoted argv word or a positional parameter of
 * a constant script (issue 8), as in drill-commands.ts.
 */

/** the bridge's IPv4 addresses (who holds the dhcp_server), then public_interface's link line (its MAC) */
export function buildNovaRoleProbeCommand(bridge: string, publicInterface: string): string {
  return `${quoteArgv(['ip', '-o', '-4', 'addr', 'show', 'dev', bridge])} 2>/dev/null; echo @link; ${quoteArgv(['ip', '-o', 'link', 'show', 'dev', publicInterface])}`;
}

/** `ip link set dev DEV up|down` in the root namespace (flat_interface: tracked by the cluster manager) */
export function buildRootLinkSetCommand(device: string, updown: 'up' | 'down'): string {
  return quoteArgv(['ip', 'link', 'set', 'dev', device, updown]);
}

/**
 * $1 pid file, then devices: a dead host. The links go down first, then SIGKILL the cluster
 * manager: killed first, keepalived's VRRP child (PR_SET_PDEATHSIG) would still send its
 * priority-0 advert and run notify_stop — a clean handover, not a crash.
 */
const STOP_NODE = 'p=$(cat -- "$1") || exit 1; case $p in ""|*[!0-9]*) echo "no pid in $1" >&2; exit 1;; esac; shift; for d in "$@"; do ip link set dev "$d" down; done; kill -KILL "$p"';

export function buildNovaStopNodeCommand(pidFile: string, devices: string[]): string {
  return quoteArgv(['sh', '-c', STOP_NODE, 'sh', pidFile, ...devices]);
}

/** what the probe printed: does the bridge hold `dhcpServer`, and public_interface's MAC */
export function parseNovaRoleProbe(stdout: string, dhcpServer: string): { holds: boolean; mac?: string } {
  const [addr = '', link = ''] = stdout.split('@link');
  const holds = addr.split('\n').some((l) => new RegExp(`\\sinet ${dhcpServer.replace(/\./g, '\\.')}/`).test(l));
  const mac = /link\/ether ([0-9a-f:]{17})/i.exec(link)?.[1]?.toLowerCase();
  return mac ? { holds, mac } : { holds };
}

/** devices as positional parameters: each set up or down (the multi-NIC drill's stop-node and its restore) */
const LINKS_SET = 'ud=$1; shift; for d in "$@"; do ip link set dev "$d" "$ud" || exit 1; done';

export function buildRootLinksSetCommand(devices: string[], updown: 'up' | 'down'): string {
  return quoteArgv(['sh', '-c', LINKS_SET, 'sh', updown, ...devices]);
}

/** the default route of the root namespace (a host whose public_interface went down loses it) */
export function buildDefaultRouteProbeCommand(): string {
  return quoteArgv(['ip', '-o', '-4', 'route', 'show', 'default']);
}

/** `default via X dev Y …` → {via, dev}; undefined when there is none */
export function parseDefaultRoute(stdout: string): { via: string; dev: string } | undefined {
  const m = /^default via (\S+) dev (\S+)/m.exec(stdout);
  return m ? { via: m[1]!, dev: m[2]! } : undefined;
}

export function buildDefaultRouteReplaceCommand(route: { via: string; dev: string }): string {
  return quoteArgv(['ip', 'route', 'replace', 'default', 'via', route.via, 'dev', route.dev]);
}
