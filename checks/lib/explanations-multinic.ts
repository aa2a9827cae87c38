import type { CheckExplanation } from './explanation-types';

/** `haprobe explain` entries of the neutron-multinic-aa checks (issue 9, seed 001), merged into EXPLANATIONS */
export const MULTINIC_EXPLANATIONS: Readonly<Record<string, CheckExplanation>> = {
  'multinic-anti-affinity': {
    reads: ['netns of every node: where each qrouter-<router> of a pair lives', 'facts: multiNic[].paths[].routerId, routers[].hosts'],
    findings: [
      { verdict: 'fail', finding: 'both routers of <instance> (routers <a>, <b>) run on <node>', means: 'the two paths of the multi-NIC instance share one network node: its failure cuts both, and the balancer has no path left (the Deutsche Telekom design puts each router on its own network node).', fix: 'move one router to another L3 agent: `openstack network agent remove router --l3 <agent> <router>` then `openstack network agent add router --l3 <other agent> <router>`.' },
      { verdict: 'fail', finding: 'the API schedules both routers of <instance> to <host>', means: 'the data plane may still be split, but the next resync or agent restart builds both routers on one node.', fix: 'reschedule one router as above.' },
      { verdict: 'skip', finding: 'qrouter-<router> was found on no node read', means: 'one router is nowhere: placement cannot be judged (multinic-paths reports the missing path).', fix: 'see multinic-paths.' },
    ],
  },
  'multinic-paths': {
    reads: ['netns, addr:qrouter-<router> (qg- addresses), iptables:qrouter-<router> (nat PREROUTING) of the node holding each router', 'facts: multiNic[].paths (routerId, floatingIp, fixedIp)'],
    findings: [
      { verdict: 'fail', finding: 'path via router <r> is down: qrouter-<r> exists on no node', means: 'the router of one path is not built anywhere (its L3 agent or network node is down): that FIP answers nowhere, one path left.', fix: 'bring the L3 agent back, or reschedule the router to a live agent (not the one hosting the other router of the pair).' },
      { verdict: 'fail', finding: 'floating IP <fip> is not on qg- of qrouter-<r>', means: 'the FIP answers no ARP: the path is dead although the router exists.', fix: 'restart the L3 agent on the node (it re-adds the FIP) or re-associate the FIP.' },
      { verdict: 'fail', finding: 'no DNAT of <fip> to <fixed ip> in qrouter-<r>', means: 'traffic to the FIP is not translated to the instance\'s NIC on that subnet.', fix: 'restart the L3 agent on the node (it rewrites the NAT rules), then re-run haprobe.' },
      { verdict: 'fail', finding: 'qrouter-<r> exists on <a> and <b>', means: 'a legacy router in two places (a stale namespace after a reschedule): two nodes answer ARP for the FIP.', fix: 'delete the stale namespace on the node whose agent no longer hosts the router (neutron-netns-cleanup).' },
    ],
  },
  'multinic-policy-routing': {
    reads: ['vm-rule:<instance>, vm-route:<instance>: `ip rule` and `ip route show table all` inside a lab instance namespace (/run/haprobe-vms on its compute)', 'facts: multiNic[].paths (fixedIp, gatewayIp, table), multiNic[].host'],
    findings: [
      { verdict: 'fail', finding: '<instance> has no rule `from <fixed ip> lookup <table>`', means: 'replies to that path\'s FIP leave by the main table\'s default route, out of the other NIC and through the other router (asymmetric): the client behind the balancer gets no answer on that path (the design: "packets arriving on interface ethX will be replied via the same interface").', fix: 'in the guest: `ip rule add from <fixed ip> lookup <table>`, and make it persistent (the distribution\'s network config).' },
      { verdict: 'fail', finding: 'table <table> of <instance> has no default route via <gateway>', means: 'the rule sends replies to a table that cannot route them off the subnet.', fix: 'in the guest: `ip route add default via <gateway> dev <nic> table <table>`.' },
      { verdict: 'skip', finding: 'the routing inside <instance> was not read', means: 'haprobe cannot enter a real VM: the policy routing is not judged.', fix: 'run `ip rule` and `ip route show table <n>` in the guest (or from your configuration management) and compare with the facts.' },
    ],
  },
  'multinic-balancer': {
    reads: ['haproxy-stat: `show stat` from haproxy\'s admin socket /run/haproxy/admin.sock on the balancer node (socat)', 'facts: multiNic[].balancer (node, backend), multiNic[].paths[].floatingIp'],
    findings: [
      { verdict: 'fail', finding: 'backend <b> on <node> has no server for <fip>', means: 'one path carries no traffic and cannot take over: the next network node failure is an outage (the balancer of the design hides the address change only with both FIPs behind it).', fix: 'add `server <name> <fip>:<port> check` to the backend and reload haproxy.' },
      { verdict: 'fail', finding: 'server <s> (<fip>) of <b> on <node> is DOWN', means: 'the health check fails on that path (router, FIP, DNAT, the instance\'s policy routing or its service): only one path left.', fix: 'run multinic-paths and multinic-policy-routing; `echo "show servers state" | socat stdio /run/haproxy/admin.sock` shows the last check.' },
      { verdict: 'warn', finding: 'server <s> (<fip>) of <b> has no health check', means: 'the balancer keeps sending to a dead path.', fix: 'add `check` to the server line.' },
      { verdict: 'skip', finding: 'haproxy\'s stats were not read on <node>', means: 'no admin socket at /run/haproxy/admin.sock (or no socat): backends not judged.', fix: 'enable `stats socket /run/haproxy/admin.sock` in haproxy.cfg (Debian\'s default) and install socat, or check the backends by hand.' },
    ],
  },
};
