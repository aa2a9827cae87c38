import { HaprobeError } from '../errors';
import type { Facts, FactsPort } from '../model/facts';
import { deviceName, makeMac, makeNumber, makeUuid } from './ids';
import { findProfile, PROFILES } from './profiles';
import { addMultiNicFacts, planMultiNic } from './multinic';
import { DEFAULT_RELEASE, isLabRelease, LAB_RELEASES, rulesOf } from './releases';
import type { LabPlan, LabState, LabVariant, PlanExtras, PlanFip, PlanInstance, PlanNetwork, PlanNode, PlanPort, PlanRouter } from './types';

/** addresses of the lab (DESIGN "The lab": private ranges that exist only inside namespaces) */
export const LAB_NET = {
  mgmtHost: '198.18.0.1',
  mgmtPrefix: 24,
  upstreamMgmt: '198.18.0.2',
  extCidr: '203.0.113.0/24',
  extGw: '203.0.113.1',
  routerGw: '203.0.113.10',
  tenantCidr: '10.0.0.0/24',
  tenantGw: '10.0.0.1',
  snatIp: '10.0.0.3',
  haCidr: '169.254.192.0/18',
  /** rfp-/fpr- pair from DVR_FIP_LL_CIDR 169.254.64.0/18 (even = rfp, odd = fpr) */
  rfpIp: '169.254.64.2',
  fprIp: '169.254.64.3',
  tenantVlan: 1,
  haVlan: 2,
  /** dual-stack (--ipv6): documentation/ULA prefixes, gateway ::1, router gateway ::a */
  extCidr6: '2001:db8:113::/64',
  extGw6: '2001:db8:113::1',
  routerGw6: '2001:db8:113::a',
  tenantCidr6: 'fd00:10::/64',
  tenantGw6: 'fd00:10::1',
  snatIp6: 'fd00:10::3',
} as const;

/** modified EUI-64 interface id of a MAC (fa:16:3e:aa:bb:cc → f816:3eff:feaa:bbcc), as SLAAC and the kernel derive it */
export function eui64(mac: string): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  b[0] ^= 0x02;
  const h = (x: number, y: number): string => ((x << 8) | y).toString(16);
  return `${h(b[0], b[1])}:${h(b[2], 0xff)}:${h(0xfe, b[3])}:${h(b[4], b[5])}`;
}

/** link-local address of a port MAC (fe80::/64 + EUI-64) */
export function linkLocalOf(mac: string): string {
  return `fe80::${eui64(mac)}`;
}

export const MAX_COMPUTES = 60;
/** with the light flavour (issue 10: the 200-node run) */
export const MAX_LIGHT_COMPUTES = 200;

export interface PlanOptions extends LabVariant {
  computes?: number;
}

/** the plan of a lab that is up (same profile, computes and variant → same plan) */
export function planOfState(state: Pick<LabState, 'profile' | 'computes' | 'variant'>): LabPlan {
  return buildPlan(state.profile, { ...state.variant, computes: state.computes });
}

/** the variant part of plan options (what lab.json keeps), without undefined fields */
export function variantOf(opts: PlanOptions): LabVariant {
  const v: LabVariant = {};
  if (opts.release) v.release = opts.release;
  if (opts.firewallDriver) v.firewallDriver = opts.firewallDriver;
  if (opts.ipv6) v.ipv6 = true;
  if (opts.computeAgentMode) v.computeAgentMode = opts.computeAgentMode;
  if (opts.extras) v.extras = true;
  if (opts.light) v.light = true;
  return v;
}

function mgmtIpFor(kind: 'network' | 'compute', index: number): string {
  return kind === 'network' ? `198.18.0.${10 + index}` : `198.18.0.${20 + index}`;
}

/** `lab up` builds exactly this; pure function of (profile, options) */
export function buildPlan(profileId: string, opts: PlanOptions = {}): LabPlan {
  const profile = findProfile(profileId);
  if (!profile) {
    throw new HaprobeError('usage', `unknown lab profile "${profileId}"`, {
      hint: `one of ${PROFILES.map((p) => p.id).join(', ')}`,
    });
  }
  const computes = opts.computes ?? profile.computes;
  const maxComputes = opts.light ? MAX_LIGHT_COMPUTES : MAX_COMPUTES;
  if (!Number.isInteger(computes) || computes < 1 || computes > maxComputes) {
    throw new HaprobeError('usage', `--computes must be an integer 1..${maxComputes}${opts.light ? '' : ` (up to ${MAX_LIGHT_COMPUTES} with --light)`}, got ${String(opts.computes)}`);
  }
  if (opts.light && profile.routerMode !== 'ha' && profile.routerMode !== 'legacy') {
    // DVR puts a router, a fip namespace and an fg- address on every compute: not light
    throw new HaprobeError('usage', '--light needs a profile whose routers live on the network nodes: neutron-legacy or neutron-l3ha');
  }
  if (opts.release !== undefined && !isLabRelease(opts.release)) {
    throw new HaprobeError('usage', `unknown lab release "${String(opts.release)}"`, { hint: `one of ${LAB_RELEASES.join(', ')}` });
  }
  if (opts.firewallDriver !== undefined && opts.firewallDriver !== 'openvswitch' && opts.firewallDriver !== 'iptables_hybrid') {
    throw new HaprobeError('usage', `--firewall-driver must be openvswitch or iptables_hybrid, got ${String(opts.firewallDriver)}`);
  }
  if (opts.computeAgentMode !== undefined && (profile.routerMode === 'legacy' || profile.routerMode === 'ha' || opts.computeAgentMode !== 'dvr_no_external')) {
    throw new HaprobeError('usage', `--agent-mode ${String(opts.computeAgentMode)} needs a DVR profile and must be dvr_no_external`);
  }
  if (opts.extras && profile.routerMode !== 'ha') {
    throw new HaprobeError('usage', '--extras (second HA router, router without gateway, admin-down port) needs the neutron-l3ha profile');
  }
  const rules = rulesOf(opts.release ?? DEFAULT_RELEASE);
  const variant = variantOf(opts);
  const seed = profile.id;
  const uuid = (k: string): string => makeUuid(seed, k);
  const mac = (k: string): string => makeMac(seed, k);
  const dvr = profile.routerMode === 'dvr' || profile.routerMode === 'dvr-ha';

  const nodes: PlanNode[] = [{ name: 'upstream', kind: 'gateway', roles: ['gateway'], mgmtIp: LAB_NET.upstreamMgmt }];
  for (let i = 1; i <= profile.networkNodes; i++) {
    nodes.push({
      name: `net${i}`,
      kind: 'network',
      roles: ['network'],
      mgmtIp: mgmtIpFor('network', i),
      agentMode: profile.networkAgentMode,
      dvrMac: dvr ? makeMac(seed, `dvr:net${i}`, 'fa:16:3f') : undefined,
    });
  }
  for (let i = 1; i <= computes; i++) {
    nodes.push({
      name: `cmp${i}`,
      kind: 'compute',
      roles: ['compute'],
      mgmtIp: mgmtIpFor('compute', i),
      agentMode: profile.computeAgentMode ? (opts.computeAgentMode ?? profile.computeAgentMode) : undefined,
      dvrMac: dvr ? makeMac(seed, `dvr:cmp${i}`, 'fa:16:3f') : undefined,
    });
  }
  const netNames = nodes.filter((n) => n.kind === 'network').map((n) => n.name);
  const cmpNames = nodes.filter((n) => n.kind === 'compute').map((n) => n.name);

  const v6 = opts.ipv6 === true;
  const extNet: PlanNetwork = {
    id: uuid('net:ext'), subnetId: uuid('subnet:ext'), name: 'public', cidr: LAB_NET.extCidr, prefixLen: 24, gatewayIp: LAB_NET.extGw,
    ...(v6 ? { cidr6: LAB_NET.extCidr6, gatewayIp6: LAB_NET.extGw6 } : {}),
  };
  const tenantNet: PlanNetwork = {
    id: uuid('net:tenant'), subnetId: uuid('subnet:tenant'), name: 'private', cidr: LAB_NET.tenantCidr, prefixLen: 24,
    gatewayIp: LAB_NET.tenantGw, vlan: LAB_NET.tenantVlan,
    ...(v6 ? { cidr6: LAB_NET.tenantCidr6, gatewayIp6: LAB_NET.tenantGw6 } : {}),
  };
  const ha = profile.routerMode === 'ha' || profile.routerMode === 'dvr-ha';
  const haNet: PlanNetwork | undefined = ha
    ? { id: uuid('net:ha'), subnetId: uuid('subnet:ha'), name: 'HA network project lab', cidr: LAB_NET.haCidr, prefixLen: 18,
        gatewayIp: '', vlan: LAB_NET.haVlan }
    : undefined;

  // Zed as really built: l3_hamode_db draws the VRID at random in 1..254 (137 and 30 seen on the
  // real engine) and the HA ports get random addresses of 169.254.192.0/18; older variants keep 1, 2
  const real = rules.real;
  const vrid1 = real ? makeNumber(seed, 'vrid:r1', 1, 254) : 1;
  const vrid2 = real ? 1 + ((vrid1 - 1 + makeNumber(seed, 'vrid:r2', 1, 253)) % 254) : 2;
  const haIp = (key: string, fallback: string): string =>
    real ? `169.254.${192 + makeNumber(seed, `haip:${key}`, 0, 63)}.${makeNumber(seed, `haip4:${key}`, 1, 254)}` : fallback;
  const routerId = uuid('router:r1');
  let hosts: string[];
  let snatHosts: string[] = [];
  let haHosts: string[] = [];
  switch (profile.routerMode) {
    case 'legacy': hosts = [netNames[0]]; break;
    case 'ha': hosts = [...netNames]; haHosts = [...netNames]; break;
    case 'dvr': hosts = [netNames[0], ...cmpNames]; snatHosts = [netNames[0]]; break;
    case 'dvr-ha': hosts = [...netNames, ...cmpNames]; snatHosts = [...netNames]; haHosts = [...netNames]; break;
  }
  const port = (key: string, prefix: string, p: Omit<PlanPort, 'id' | 'device' | 'mac'>): PlanPort => {
    const id = uuid(`port:${key}`);
    return { id, device: deviceName(prefix, id), mac: mac(key), ...p };
  };
  const qrOwner = { legacy: 'network:router_interface', ha: 'network:ha_router_replicated_interface',
    dvr: 'network:router_interface_distributed', 'dvr-ha': 'network:router_interface_distributed' }[profile.routerMode];
  const single = profile.routerMode === 'legacy' ? netNames[0] : profile.routerMode === 'dvr' ? netNames[0] : undefined;
  const router: PlanRouter = {
    id: routerId,
    name: 'r1',
    mode: profile.routerMode,
    hosts,
    snatHosts,
    haHosts,
    haVrId: ha ? vrid1 : undefined,
    qr: port('qr', 'qr-', { deviceOwner: qrOwner, deviceId: routerId, networkId: tenantNet.id, ip: LAB_NET.tenantGw, prefixLen: 24,
      host: profile.routerMode === 'legacy' ? single : undefined, ...(v6 ? { ip6: LAB_NET.tenantGw6 } : {}) }),
    qg: port('qg', 'qg-', { deviceOwner: 'network:router_gateway', deviceId: routerId, networkId: extNet.id, ip: LAB_NET.routerGw,
      prefixLen: 24, host: single, ...(v6 ? { ip6: LAB_NET.routerGw6 } : {}) }),
    sg: dvr ? port('sg', 'sg-', { deviceOwner: 'network:router_centralized_snat', deviceId: routerId, networkId: tenantNet.id,
      ip: LAB_NET.snatIp, prefixLen: 24, host: single, ...(v6 ? { ip6: LAB_NET.snatIp6 } : {}) }) : undefined,
    ha: {},
    fg: {},
    rfpIp: dvr ? rules.rfpPair[0] : undefined,
    fprIp: dvr ? rules.rfpPair[1] : undefined,
  };
  haHosts.forEach((h, i) => {
    router.ha[h] = port(`ha:${h}`, 'ha-', { deviceOwner: 'network:router_ha_interface', deviceId: routerId, networkId: haNet!.id,
      ip: haIp(`r1:${h}`, `169.254.192.${i + 1}`), prefixLen: 18, host: h });
  });
  if (dvr) {
    // dvr_no_external computes have no fip namespace and no fg- port (ground-truth §3a); Zed as
    // really built gives the dvr_snat node(s) one too (docs/real-engine.md row 4), from .31 on
    if (real?.fgOnSnatNode) {
      netNames.forEach((h, i) => {
        router.fg[h] = port(`fg:${h}`, 'fg-', { deviceOwner: 'network:floatingip_agent_gateway', deviceId: uuid(`agent:l3:${h}`),
          networkId: extNet.id, ip: `203.0.113.${30 + i + 1}`, prefixLen: 24, host: h });
      });
    }
    cmpNames.filter((h) => nodes.find((n) => n.name === h)!.agentMode !== 'dvr_no_external').forEach((h, i) => {
      router.fg[h] = port(`fg:${h}`, 'fg-', { deviceOwner: 'network:floatingip_agent_gateway', deviceId: uuid(`agent:l3:${h}`),
        networkId: extNet.id, ip: `203.0.113.${20 + i + 1}`, prefixLen: 24, host: h });
    });
  }
  // light: one instance in the whole lab (issue 10); the other computes keep OVS and sshd only
  const instances: PlanInstance[] = (opts.light ? cmpNames.slice(0, 1) : cmpNames).map((h, i) => {
    const id = uuid(`instance:vm${i + 1}`);
    const p = port(`vm${i + 1}`, 'tap', { deviceOwner: 'compute:nova', deviceId: id, networkId: tenantNet.id,
      ip: `10.0.0.${11 + i}`, prefixLen: 24, host: h });
    // SLAAC address: the subnet prefix + EUI-64 of the port MAC
    if (v6) p.ip6 = `fd00:10::${eui64(p.mac)}`;
    return { id, name: `vm${i + 1}`, host: h, port: p, tap: deviceName('tap', p.id) };
  });
  const fipPool: PlanFip[] = instances.map((inst, i) => ({ id: uuid(`fip:${inst.name}`), ip: `203.0.113.${101 + i}`, instance: inst.name }));
  let extras: PlanExtras | undefined;
  if (opts.extras) {
    const net2: PlanNetwork = { id: uuid('net:tenant2'), subnetId: uuid('subnet:tenant2'), name: 'private2', cidr: '10.0.1.0/24', prefixLen: 24,
      gatewayIp: '10.0.1.1', vlan: 3 };
    const r2 = uuid('router:r2');
    const ha2: Record<string, PlanPort> = {};
    haHosts.forEach((h, i) => {
      ha2[h] = port(`r2:ha:${h}`, 'ha-', { deviceOwner: 'network:router_ha_interface', deviceId: r2, networkId: haNet!.id,
        ip: haIp(`r2:${h}`, `169.254.192.${11 + i}`), prefixLen: 18, host: h });
    });
    const downId = uuid('instance:vm-down');
    const downPort = port('vm-down', 'tap', { deviceOwner: 'compute:nova', deviceId: downId, networkId: tenantNet.id, ip: '10.0.0.99',
      prefixLen: 24, host: cmpNames[0], adminDown: true });
    extras = {
      tenantNet: net2,
      router: { id: r2, name: 'r2', haVrId: vrid2, hosts: [...haHosts], ha: ha2,
        qr: port('r2:qr', 'qr-', { deviceOwner: 'network:ha_router_replicated_interface', deviceId: r2, networkId: net2.id, ip: '10.0.1.1', prefixLen: 24 }) },
      adminDown: { id: downId, name: 'vm-down', host: cmpNames[0], port: downPort, tap: deviceName('tap', downPort.id) },
    };
  }
  const plan: LabPlan = { profile: profile.id, seed, release: rules.id, rules, variant, nodes, extNet, tenantNet, haNet, router, instances, fipPool, extras };
  if (profile.multiNic) {
    if (computes !== 1 || opts.light || opts.ipv6) throw new HaprobeError('usage', 'neutron-multinic-aa builds one compute (no --computes, --light, --ipv6)');
    plan.multiNic = planMultiNic(plan);
  }
  return plan;
}

/**
 * Is this FIP centralized (snat-bound: in snat-<router>/qg- on the snat host)? Yes for every FIP
 * of an instance on a dvr_no_external compute (ground-truth §3a, §3b snat ns, §3e).
 */
export function isCentralizedFip(plan: LabPlan, instance: PlanInstance): boolean {
  const mode = plan.router.mode;
  if (mode !== 'dvr' && mode !== 'dvr-ha') return false;
  return plan.nodes.find((n) => n.name === instance.host)?.agentMode === 'dvr_no_external';
}

/** associated FIPs that live in the snat namespace */
export function centralizedFips(plan: LabPlan, fips: Record<string, string>): AssociatedFip[] {
  return associatedFips(plan, fips).filter((f) => isCentralizedFip(plan, f.instance));
}

/** FIPs associated right after `up` (FIP ip → instance name) */
export function initialFips(plan: LabPlan): Record<string, string> {
  const profile = findProfile(plan.profile)!;
  const chosen = profile.fipsAtUp === 'all' ? plan.fipPool : plan.fipPool.slice(0, 1);
  return Object.fromEntries(chosen.map((f) => [f.ip, f.instance]));
}

export interface AssociatedFip {
  ip: string;
  id: string;
  instance: PlanInstance;
}

/** associated FIPs resolved to instances, in pool order */
export function associatedFips(plan: LabPlan, fips: Record<string, string>): AssociatedFip[] {
  return plan.fipPool
    .filter((f) => fips[f.ip] !== undefined)
    .map((f) => ({ ip: f.ip, id: f.id, instance: plan.instances.find((i) => i.name === fips[f.ip])! }));
}

function factsPort(p: PlanPort, host?: string): FactsPort {
  return {
    id: p.id, deviceOwner: p.deviceOwner, deviceId: p.deviceId, networkId: p.networkId, mac: p.mac, fixedIps: p.ip6 ? [p.ip, p.ip6] : [p.ip],
    host: host ?? p.host, prefixLen: p.prefixLen, ...(p.adminDown ? { adminStateUp: false } : {}),
  };
}

/**
 * The facts file for the current lab state. `haPrimary`: node holding the VIPs
 * (HA/DVR-HA), read from the state files after up; undefined = not known.
 */
export function buildFacts(plan: LabPlan, fips: Record<string, string>, haPrimary?: string, extraPrimary?: string, r2Host?: string): Facts {
  const r = plan.router;
  const haHost = r.haHosts.length > 0 ? haPrimary : undefined;
  const ports: FactsPort[] = [
    factsPort(r.qr, r.mode === 'ha' ? haHost : undefined),
    factsPort(r.qg, r.mode === 'ha' || r.mode === 'dvr-ha' ? haHost : undefined),
  ];
  if (r.sg) ports.push(factsPort(r.sg, r.mode === 'dvr-ha' ? haHost : undefined));
  for (const p of Object.values(r.ha)) ports.push(factsPort(p));
  for (const p of Object.values(r.fg)) ports.push(factsPort(p));
  for (const i of plan.instances) ports.push(factsPort(i.port));
  const haState = r.haHosts.length > 0
    ? Object.fromEntries(r.haHosts.map((h) => [h, haPrimary === undefined ? 'unknown' : h === haPrimary ? 'active' : 'standby']))
    : undefined;
  const agents: Facts['agents'] = [];
  for (const n of plan.nodes) {
    if (n.kind === 'gateway') continue;
    if (n.agentMode) agents.push({ host: n.name, type: 'l3', agentMode: n.agentMode, alive: true });
    agents.push({ host: n.name, type: 'ovs', alive: true });
  }
  const routers: Facts['routers'] = [];
  const x = plan.extras;
  if (x) {
    const r2 = x.router;
    ports.push(factsPort(r2.qr, extraPrimary), ...Object.values(r2.ha).map((p) => factsPort(p)), factsPort(x.adminDown.port));
    routers.push({
      id: r2.id, name: r2.name, mode: 'ha', haVrId: r2.haVrId, hosts: [...r2.hosts],
      haState: Object.fromEntries(r2.hosts.map((h) => [h, extraPrimary === undefined ? 'unknown' : h === extraPrimary ? 'active' : 'standby'])),
      subnets: [{ id: x.tenantNet.subnetId, networkId: x.tenantNet.id, cidr: x.tenantNet.cidr, gatewayIp: x.tenantNet.gatewayIp }],
    });
  }
  const extraInstances = x ? [x.adminDown] : [];
  const facts: Facts = {
    version: 1,
    profile: plan.profile,
    release: plan.release,
    routers: [{
      id: r.id, name: r.name, mode: r.mode, externalNetworkId: plan.extNet.id, gatewayIp: r.qg.ip,
      externalGatewayIp: plan.extNet.gatewayIp, enableSnat: true, haVrId: r.haVrId, haState,
      hosts: [...r.hosts], snatHosts: r.snatHosts.length > 0 ? [...r.snatHosts] : undefined,
      subnets: [
        { id: plan.tenantNet.subnetId, networkId: plan.tenantNet.id, cidr: plan.tenantNet.cidr, gatewayIp: plan.tenantNet.gatewayIp },
        ...(plan.tenantNet.cidr6 ? [{ networkId: plan.tenantNet.id, cidr: plan.tenantNet.cidr6, gatewayIp: plan.tenantNet.gatewayIp6! }] : []),
      ],
    }, ...routers],
    ports,
    floatingIps: associatedFips(plan, fips).map((f) => ({
      id: f.id, floatingIp: f.ip, fixedIp: f.instance.port.ip, portId: f.instance.port.id, routerId: r.id,
      host: f.instance.host, externalNetworkId: plan.extNet.id,
    })),
    instances: [...plan.instances, ...extraInstances].map((i) => ({ id: i.id, name: i.name, host: i.host, portId: i.port.id, mac: i.port.mac, ip: i.port.ip })),
    agents,
    // Zed as really built runs `firewall_driver = noop` and still gets the table 0/24/25 flows the
    // lab renders by default (docs/real-engine.md row 1)
    ...(plan.variant.firewallDriver ? { firewallDriver: plan.variant.firewallDriver } : plan.rules.real ? { firewallDriver: 'noop' } : {}),
    agentModes: Object.fromEntries(plan.nodes.filter((n) => n.agentMode).map((n) => [n.name, n.agentMode!])),
    upstream: { node: 'upstream', ip: plan.extNet.gatewayIp },
  };
  if (plan.multiNic) addMultiNicFacts(plan, plan.multiNic, facts, r2Host);
  return facts;
}
