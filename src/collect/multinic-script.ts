/**
 * The neutron-multinic-aa part of the snapshot script (issue 9, seed 001), run on every node
 * (the balancer is on a node with only the gateway role, read root-only), two kinds of sections:
 *   haproxy-stat      `show stat` of haproxy's admin socket (Debian's haproxy.cfg default path),
 *                     only where that socket exists; read with socat
 *   vm-rule:<name>    `ip rule` inside each instance network namespace kept under /run/haprobe-vms
 *   vm-route:<name>   `ip route show table all` there
 * Instances on a real cloud are VMs haprobe cannot enter: /run/haprobe-vms is where the lab keeps
 * its instances' namespaces, so the vm-* sections exist only on a lab compute (the policy-routing
 * check then skips, saying so). Paths are fixed words; the instance name is node data and only ever
 * travels quoted ("$v") inside the node's own shell.
 */
export const HAPROXY_ADMIN_SOCKET = '/run/haproxy/admin.sock';
export const LAB_VM_NETNS_DIR = '/run/haprobe-vms';

export function multiNicScriptLines(): string[] {
  return [
    `if [ -S ${HAPROXY_ADMIN_SOCKET} ]; then sec haproxy-stat sh -c 'echo "show stat" | socat stdio ${HAPROXY_ADMIN_SOCKET}'; fi`,
    `for f in ${LAB_VM_NETNS_DIR}/*; do [ -f "$f" ] || continue; v=\${f##*/}; ` +
      'sec "vm-rule:$v" nsenter --net="$f" ip $J rule show </dev/null; sec "vm-route:$v" nsenter --net="$f" ip $J route show table all </dev/null; done',
  ];
}
