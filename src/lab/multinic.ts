import type { Facts, FactsMultiNicPair, FactsPort } from '../model/facts';
import { deviceName, makeMac, makeUuid } from './ids';
import { iptablesEraOf, renderNsIptables } from './render-iptables';
import type { LabPlan, PlanInstance, PlanMultiNic, PlanNetwork, PlanPort } from './types';

/**
 * neutron-multinic-aa (issue 9, seed 001: Deutsche Telekom's active/active L3 without
 * pacemaker). On top of the neutron-legacy plan (router r1 on net1, tenant 10.0.0.0/24, vm1
 * on cmp1 with FIP .101): a second legacy router r2 on net2 with its own tenant subnet
 * 10.0.1.0/24 and gateway .11, a second NIC eth1 of vm1 on it with FIP .102, policy routing
 * inside vm1 (one table per NIC) and haproxy on the upstream balancing TCP :80 over both FIPs.
 * Pure: plan, scripts and facts are text/data; up.ts runs them.
 */

export const MULTINIC = {
  tenantCidr: '10.0.1.0/24',
  tenantGw: '10.0.1.1',
  vlan: 3,
  routerGw: '203.0.113.11',
  nic2Ip: '10.0.1.11',
  fip2: '203.0.113.102',
  /** policy routing tables inside the instance, one per NIC (eth0, eth1) */
  tables: [101, 102] as const,
  rulePriorities: [1000, 1001] as const,
  /** the service behind the balancer (busybox httpd in the instance) and the balancer's frontend */
  servicePort: 80,
  frontendPort: 8080,
  /** Debian's haproxy.cfg puts its admin socket here; the check reads `show stat` from it */
  haproxySocket: '/run/haproxy/admin.sock',
  haproxyDir: '/run/haproxy',
  backend: 'multinic',
} as const;

/** the second router, NIC and FIP on top of a neutron-legacy-shaped plan (network nodes net1, net2) */
export function planMultiNic(plan: LabPlan): PlanMultiNic {
  const seed = plan.seed;
  const uuid = (k: string): string => makeUuid(seed, k);
  const port = (key: string, prefix: string, p: Omit<PlanPort, 'id' | 'device' | 'mac'>): PlanPort => {
    const id = uuid(`port:${key}`);
    return { id, device: deviceName(prefix, id), mac: makeMac(seed, key), ...p };
  };
  const r1 = plan.router;
  const vm = plan.instances[0];
  const net2: PlanNetwork = { id: uuid('net:tenant2'), subnetId: uuid('subnet:tenant2'), name: 'private2', cidr: MULTINIC.tenantCidr, prefixLen: 24,
    gatewayIp: MULTINIC.tenantGw, vlan: MULTINIC.vlan };
  const r2 = uuid('router:r2');
  const host2 = plan.nodes.filter((n) => n.kind === 'network').map((n) => n.name).find((h) => h !== r1.hosts[0])!;
  const p2 = port('vm1:nic2', 'tap', { deviceOwner: 'compute:nova', deviceId: vm.id, networkId: net2.id, ip: MULTINIC.nic2Ip, prefixLen: 24, host: vm.host });
  const fip1 = plan.fipPool.find((f) => f.instance === vm.name)!;
  return {
    instance: vm.name,
    host: vm.host,
    paths: [
      { routerId: r1.id, routerName: r1.name, host: r1.hosts[0], qr: r1.qr, qg: r1.qg, network: plan.tenantNet, port: vm.port, nic: 'eth0', tap: vm.tap,
        fip: { id: fip1.id, ip: fip1.ip }, table: MULTINIC.tables[0], rulePriority: MULTINIC.rulePriorities[0] },
      { routerId: r2, routerName: 'r2', host: host2,
        qr: port('r2:qr', 'qr-', { deviceOwner: 'network:router_interface', deviceId: r2, networkId: net2.id, ip: MULTINIC.tenantGw, prefixLen: 24, host: host2 }),
        qg: port('r2:qg', 'qg-', { deviceOwner: 'network:router_gateway', deviceId: r2, networkId: plan.extNet.id, ip: MULTINIC.routerGw, prefixLen: 24, host: host2 }),
        network: net2, port: p2, nic: 'eth1', tap: deviceName('tap', p2.id),
        fip: { id: uuid('fip:vm1:nic2'), ip: MULTINIC.fip2 }, table: MULTINIC.tables[1], rulePriority: MULTINIC.rulePriorities[1] },
    ],
    balancer: { node: 'upstream', frontend: plan.extNet.gatewayIp, port: MULTINIC.frontendPort, servicePort: MULTINIC.servicePort },
  };
}

/** the qrouter- namespace of r2 on `host` (a legacy router as render-node builds r1): ports, NAT, addresses, FIP */
export function renderSecondRouter(plan: LabPlan, mn: PlanMultiNic, host: string): string[] {
  const p = mn.paths[1];
  const ns = `qrouter-${p.routerId}`;
  const iptables = renderNsIptables({ era: iptablesEraOf(plan.rules), kind: 'qrouter', internal: [p.qr.device], qg: p.qg.device, gwIp: p.qg.ip,
    fips: [{ ip: p.fip.ip, fixed: p.port.ip }] });
  return [
    `mkns ${ns}`,
    `nssysctl ${ns} net.netfilter.nf_conntrack_tcp_be_liberal=1 net.ipv4.ip_forward=1 net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2`,
    `plug ${ns} ${p.qr.device} ${p.qr.mac} br-int "${p.network.vlan}" ${p.qr.id}`,
    `plug ${ns} ${p.qg.device} ${p.qg.mac} br-ex "" ${p.qg.id}`,
    `ip netns exec ${ns} iptables-restore <<'HAPROBE_EOF'\n${iptables}HAPROBE_EOF`,
    `ip -n ${ns} addr add ${p.qr.ip}/${p.qr.prefixLen} dev ${p.qr.device}`,
    `ip -n ${ns} addr add ${p.qg.ip}/${p.qg.prefixLen} dev ${p.qg.device}`,
    `ip -n ${ns} route add default via ${plan.extNet.gatewayIp} dev ${p.qg.device}`,
    `ip -n ${ns} addr add ${p.fip.ip}/32 dev ${p.qg.device}`,
    // the L3 agent's G-ARPs for the gateway and the FIP (-U then -A, as the Pike+ agent)
    `(for a in ${p.qg.ip} ${p.fip.ip}; do for m in -U -A; do ip netns exec ${ns} arping $m -I ${p.qg.device} -c 1 -w 2 $a >/dev/null 2>&1; done; done) || true`,
  ];
}

/** the policy routing of the instance (seed 001: replies leave by the interface they came in on) */
export function policyRoutingLines(mn: PlanMultiNic): string[] {
  return mn.paths.flatMap((p) => [
    `ip route add default via ${p.network.gatewayIp} dev ${p.nic} table ${p.table}`,
    `ip rule add from ${p.port.ip} lookup ${p.table} priority ${p.rulePriority}`,
  ]);
}

/** where the lab keeps vm1's netns and the httpd document root (inside cmp1's private /run) */
export function vmNetns(name: string): string {
  return `/run/haprobe-vms/${name}`;
}

/**
 * on the instance's host, after renderInstances built vm1 with eth0: eth1 on r2's subnet (veth,
 * br-int port with the tag of net2 and the port-security flows), the policy routing, and the service
 * the balancer checks (busybox httpd on :80, answering the instance's name)
 */
export function renderSecondNic(plan: LabPlan, mn: PlanMultiNic, flows: (i: PlanInstance) => string[]): string[] {
  const p = mn.paths[1];
  const vm = plan.instances.find((i) => i.name === mn.instance)!;
  const netns = vmNetns(vm.name);
  const www = `/run/haprobe-vms/${vm.name}-www`;
  const pseudo: PlanInstance = { id: vm.id, name: `${vm.name}-nic2`, host: vm.host, port: p.port, tap: p.tap };
  return [
    `ip link add ${p.tap} type veth peer name ${p.nic} netns ${netns}`,
    `nsenter --net=${netns} sh -c 'ip link set ${p.nic} address ${p.port.mac} && ip link set ${p.nic} up && ip addr add ${p.port.ip}/${p.port.prefixLen} dev ${p.nic}'`,
    `ip link set ${p.tap} up`,
    `ovs-vsctl --may-exist add-port br-int ${p.tap} tag=${p.network.vlan} -- set Interface ${p.tap} external_ids:iface-id=${p.port.id} ` +
      `external_ids:iface-status=active external_ids:attached-mac=${p.port.mac} external_ids:vm-uuid=${vm.id}`,
    `OF=$(ovs-vsctl get Interface ${p.tap} ofport)`,
    ...flows(pseudo),
    `nsenter --net=${netns} sh -c '${policyRoutingLines(mn).join(' && ')}'`,
    `mkdir -p ${www} && echo ${vm.name} > ${www}/index.html`,
    `setsid nsenter --net=${netns} busybox httpd -f -p ${mn.balancer.servicePort} -h ${www} </dev/null >/dev/null 2>&1 &`,
  ];
}

/**
 * TCP through OVS's userspace (netdev) datapath is dropped when a veth end sends with checksum
 * offload (a CHECKSUM_PARTIAL skb read by the datapath keeps a bad checksum; the real-engine lab
 * found the same, src/lab/neutron/render-host.ts). The neutron labs only ever ping; the balancer's
 * health checks and the clients are TCP: tx offload off on every link of the node, of each of its
 * namespaces and of the instances. Run in every node and (with `ip netns exec`) in the fabric.
 */
export const TX_OFF_SCRIPT = [
  `txoff() { for d in $(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1); do ethtool -K "$d" tx off >/dev/null 2>&1 || true; done; }`,
  'txoff',
  `for n in $(ip netns list | cut -d' ' -f1); do ip netns exec "$n" bash -c "$(declare -f txoff); txoff"; done`,
  `for f in /run/haprobe-vms/*; do [ -f "$f" ] && nsenter --net="$f" bash -c "$(declare -f txoff); txoff"; done`,
  'true',
].join('\n');

/** haproxy.cfg of the upstream's balancer: TCP mode, both FIPs as backends with health checks */
export function renderHaproxyConf(mn: PlanMultiNic): string {
  return [
    'global',
    `  stats socket ${MULTINIC.haproxySocket} mode 660 level admin`,
    `  pidfile ${MULTINIC.haproxyDir}/haproxy.pid`,
    'defaults',
    '  mode tcp',
    '  timeout connect 1s',
    '  timeout client 10s',
    '  timeout server 10s',
    `frontend ${MULTINIC.backend}-in`,
    `  bind ${mn.balancer.frontend}:${mn.balancer.port}`,
    `  default_backend ${MULTINIC.backend}`,
    `backend ${MULTINIC.backend}`,
    '  balance roundrobin',
    '  default-server inter 500ms fall 2 rise 2',
    ...mn.paths.map((p) => `  server ${p.routerName} ${p.fip.ip}:${mn.balancer.servicePort} check`),
    '',
  ].join('\n');
}

/** on the upstream: haproxy -D with the config above (dies with the node's PID namespace at down) */
export function renderBalancer(mn: PlanMultiNic): string[] {
  return [
    `mkdir -p ${MULTINIC.haproxyDir}`,
    `cat > ${MULTINIC.haproxyDir}/haproxy.cfg <<'HAPROBE_EOF'\n${renderHaproxyConf(mn)}HAPROBE_EOF`,
    `haproxy -D -f ${MULTINIC.haproxyDir}/haproxy.cfg`,
  ];
}

function factsPort(p: PlanPort): FactsPort {
  return { id: p.id, deviceOwner: p.deviceOwner, deviceId: p.deviceId, networkId: p.networkId, mac: p.mac, fixedIps: [p.ip], host: p.host, prefixLen: p.prefixLen };
}

/** r2, its ports, vm1's second port, the second FIP and the `multiNic` pair, added to the lab's facts */
export function addMultiNicFacts(plan: LabPlan, mn: PlanMultiNic, facts: Facts, r2Host = mn.paths[1].host): void {
  const p = mn.paths[1];
  facts.routers.push({
    id: p.routerId, name: p.routerName, mode: 'legacy', externalNetworkId: plan.extNet.id, gatewayIp: p.qg.ip, externalGatewayIp: plan.extNet.gatewayIp,
    enableSnat: true, hosts: [r2Host],
    subnets: [{ id: p.network.subnetId, networkId: p.network.id, cidr: p.network.cidr, gatewayIp: p.network.gatewayIp }],
  });
  facts.ports.push(factsPort({ ...p.qr, host: r2Host }), factsPort({ ...p.qg, host: r2Host }), factsPort(p.port));
  facts.floatingIps.push({ id: p.fip.id, floatingIp: p.fip.ip, fixedIp: p.port.ip, portId: p.port.id, routerId: p.routerId, host: mn.host,
    externalNetworkId: plan.extNet.id });
  const pair: FactsMultiNicPair = {
    instance: mn.instance,
    host: mn.host,
    paths: mn.paths.map((x) => ({ routerId: x.routerId, portId: x.port.id, fixedIp: x.port.ip, gatewayIp: x.network.gatewayIp, floatingIp: x.fip.ip, table: x.table })),
    balancer: { node: mn.balancer.node, kind: 'haproxy', backend: MULTINIC.backend, statsSocket: MULTINIC.haproxySocket },
  };
  facts.multiNic = [pair];
}
