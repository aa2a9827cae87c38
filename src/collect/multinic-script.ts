import { secCall, SECTION_CATALOGUE as C } from './catalogue';
import { HAPROXY_ADMIN_SOCKET, LAB_VM_NETNS_DIR } from './fixed-paths';

/**
 * The neutron-multinic-aa part of the snapshot script (issue 9, seed 001), run on every node
 * (the balancer is on a node with only the gateway role, read root-only), two kinds of sections
 * (shell text: their catalogue rows):
 *   haproxy-stat      `show stat` of haproxy's admin socket (Debian's haproxy.cfg default path),
 *                     only where that socket exists; read with socat
 *   vm-rule:<name>    `ip rule` inside each instance network namespace kept under /run/haprobe-vms
 *   vm-route:<name>   `ip route show table all` there
 * Instances on a real cloud are VMs haprobe cannot enter: /run/haprobe-vms is where the lab keeps
 * its instances' namespaces, so the vm-* sections exist only on a lab compute (the policy-routing
 * check then skips, saying so). Paths are fixed words; the instance name is node data and only ever
 * travels quoted ("$v") inside the node's own shell.
 */

export function multiNicScriptLines(): string[] {
  return [
    `if [ -S ${HAPROXY_ADMIN_SOCKET} ]; then ${secCall(C.haproxyStat)}; fi`,
    `for f in ${LAB_VM_NETNS_DIR}/*; do [ -f "$f" ] || continue; v=\${f##*/}; ` +
      `${secCall(C.vmRule, 'v')}; ${secCall(C.vmRoute, 'v')}; done`,
  ];
}
