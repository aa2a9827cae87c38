import { OVN_RUN_DIRS } from '../collect/fixed-paths';
import { quoteArgv } from '../transport/quote-shell';

/**
 * Remote commands of the ML2/OVN gateway drill (`drill failover -p ovn`, issue 11). Run
 * directories, the cr-lrp name, the ovn-controller command line and devices come from the
 * inventory, the SB or the node itself and run as root: each is one quoted argv word or a
 * positional parameter of a constant script (issue 8), as in drill-commands.ts.
 */

const SB_JSON = '--no-leader-only --timeout=5 --format=json --data=json';

/**
 * `$1` = the find condition (or `type=chassisredirect`), then the run dirs: ovn-sbctl on the first
 * local SB socket (a central node), exit 3 when there is none. The documents come in the order of
 * OVN_SB_GATEWAY_TABLES (setup: with patch ports, whose nat_addresses say what the gateway announces).
 */
/** what the setup read prints on stderr, with exit 3, on a node without the SB socket (sbReadProblem) */
export const NO_SB_SOCKET = 'no OVN southbound socket here';

const SB_SETUP =
  `c=$1; shift; for d in "$@"; do [ -S "$d/ovnsb_db.sock" ] && exec ovn-sbctl --db="unix:$d/ovnsb_db.sock" ${SB_JSON}` +
  ' -- --columns=_uuid,name,hostname list Chassis -- --columns=_uuid,ha_chassis list HA_Chassis_Group -- --columns=_uuid,chassis,priority,external_ids list HA_Chassis' +
  ' -- --columns=_uuid,logical_port,chassis,additional_chassis,mac,ha_chassis_group,external_ids find Port_Binding "$c"' +
  ` -- --columns=_uuid,logical_port,nat_addresses,options find Port_Binding type=patch; done; echo "${NO_SB_SOCKET}" >&2; exit 3`;

/** the poll: chassis names and the claim of one cr-lrp (tables OVN_SB_CLAIM_TABLES) */
const SB_CLAIM =
  `c=$1; shift; for d in "$@"; do [ -S "$d/ovnsb_db.sock" ] && exec ovn-sbctl --db="unix:$d/ovnsb_db.sock" ${SB_JSON}` +
  ' -- --columns=_uuid,name,hostname list Chassis -- --columns=_uuid,logical_port,chassis,additional_chassis find Port_Binding "$c"; done; echo "no OVN southbound socket here" >&2; exit 3';

/** every cr-lrp with its claim and HA members, every patch port's nat_addresses (once, before the fault) */
export function buildOvnSbGatewaysCommand(runDirs: readonly string[] = OVN_RUN_DIRS): string {
  return quoteArgv(['sh', '-c', SB_SETUP, 'sh', 'type=chassisredirect', ...runDirs]);
}

/** who claims `crLrp` now (polled after the fault) */
export function buildOvnSbClaimCommand(crLrp: string, runDirs: readonly string[] = OVN_RUN_DIRS): string {
  return quoteArgv(['sh', '-c', SB_CLAIM, 'sh', `logical_port=${crLrp}`, ...runDirs]);
}

/**
 * A chassis as the drill needs it, one `key value…` line each (parseOvnChassisProbe): its
 * ovn-bridge-mappings and ovn-encap-ip, every port of every bridge but br-int with its type,
 * the IPv4 addresses (`ip -o -4 addr`), and ovn-controller's pid file, pid and command line
 * (NUL-separated in /proc: one `argv` line per word) from the first run dir that has one.
 */
const CHASSIS_PROBE =
  'printf "mappings %s\\n" "$(ovs-vsctl --timeout=5 get Open_vSwitch . external_ids:ovn-bridge-mappings 2>/dev/null)"; ' +
  'printf "encap-ip %s\\n" "$(ovs-vsctl --timeout=5 get Open_vSwitch . external_ids:ovn-encap-ip 2>/dev/null)"; ' +
  'printf "system-id %s\\n" "$(ovs-vsctl --timeout=5 get Open_vSwitch . external_ids:system-id 2>/dev/null)"; ' +
  'for b in $(ovs-vsctl --timeout=5 list-br); do [ "$b" = br-int ] && continue; for p in $(ovs-vsctl --timeout=5 list-ports "$b"); do ' +
  'printf "port %s %s %s\\n" "$b" "$p" "$(ovs-vsctl --timeout=5 get Interface "$p" type)"; done; done; ' +
  'ip -o -4 addr show | sed "s/^/addr /"; ' +
  'for d in "$@"; do f="$d/ovn-controller.pid"; [ -r "$f" ] || continue; p=$(cat -- "$f"); case $p in ""|*[!0-9]*) continue;; esac; ' +
  'printf "pidfile %s %s\\n" "$p" "$f"; [ -r "/proc/$p/cmdline" ] && tr "\\000" "\\n" < "/proc/$p/cmdline" | sed "s/^/argv /"; break; done; true';

export function buildOvnChassisProbeCommand(runDirs: readonly string[] = OVN_RUN_DIRS): string {
  return quoteArgv(['sh', '-c', CHASSIS_PROBE, 'sh', ...runDirs]);
}

/**
 * ovn-controller started again with the command line it ran with (read from /proc before the
 * fault; the caller checked it is an ovn-controller that detaches): the restore of
 * `--fault stop-ovn-controller` when nothing (systemd, a container runtime) restarted it.
 */
export function buildOvnControllerStartCommand(argv: readonly string[]): string {
  return quoteArgv(argv);
}

/** a chassis' tunnel interfaces with their BFD configuration and status (readBfdToward), as the collector's ovn-chassis section */
export function buildOvnBfdStatusCommand(): string {
  return quoteArgv(['ovs-vsctl', '--timeout=5', '--format=json', '--data=json', '--', '--columns=external_ids', 'list', 'Open_vSwitch', '--', '--columns=name,type,options,bfd,bfd_status', 'list', 'Interface']);
}

/**
 * The chassis' G-ARP timing inputs (parseOvnGarpSettings): ovn-controller's version and
 * Open_vSwitch external_ids:garp-max-timeout-sec (empty when unset). Read-only; no argument.
 */
export function buildOvnGarpSettingsCommand(): string {
  return quoteArgv(['sh', '-c',
    'printf "version %s\\n" "$(ovn-controller --version 2>/dev/null | head -n 1)"; ' +
    'printf "garp-max-timeout-sec %s\\n" "$(ovs-vsctl --timeout=5 --if-exists get Open_vSwitch . external_ids:garp-max-timeout-sec 2>/dev/null)"; true']);
}

/**
 * `--fault exit-ovn-controller`: `ovn-appctl exit` through the control socket of the pid the
 * probe read (`<run dir of its pid file>/ovn-controller.<pid>.ctl`, OVN's default unixctl path).
 * Unlike a SIGTERM, a graceful exit deletes the chassis from the SB and releases its claims.
 */
export function buildOvnControllerExitCommand(pidFile: string, pid: number): string {
  const dir = pidFile.replace(/\/[^/]*$/, '') || '/';
  return quoteArgv(['ovn-appctl', '-t', `${dir}/ovn-controller.${pid}.ctl`, 'exit']);
}
