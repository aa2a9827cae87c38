import { check } from '../../checks/keepalived-config';
import { runCheckCases, healthyFixtures, type CheckCases } from './fixtures/cases';
import { R, mutate, nodeOf, type Cloud } from './fixtures/cloud';

const inst = (c: Cloud, n: string) => nodeOf(c, n).haRouters[0]!.config!.instances[0]!;
const missingFip = mutate('ha', (c) => { const i = inst(c, 'net1'); i.virtualIpaddressExcluded = i.virtualIpaddressExcluded.slice(1); });
const S = (node: string) => ({ node, router: R });

export const cases: CheckCases = {
  check,
  valid: [
    ...healthyFixtures(['ha', 'dvr-ha']),
    { name: 'Juno/Kilo GA: no garp_master_delay rendered', cloud: mutate('ha', (c) => { for (const n of ['net1', 'net2']) delete inst(c, n).garpMasterDelay; }), params: { release: 'kilo' } },
    { name: 'site override advert_int 4', cloud: mutate('ha', (c) => { for (const n of ['net1', 'net2']) inst(c, n).advertInt = 4; }), params: { advertInt: 4 } },
  ],
  invalid: [
    { name: 'priority changed on one replica', cloud: mutate('ha', (c) => { inst(c, 'net2').priority = 100; }), findings: [{ verdict: 'fail', subject: S('net2') }] },
    { name: 'state MASTER and preempt', cloud: mutate('ha', (c) => { inst(c, 'net1').state = 'MASTER'; inst(c, 'net1').nopreempt = false; }), findings: [{ verdict: 'fail', subject: S('net1') }] },
    { name: 'excluded VIPs lack a floating IP (facts)', cloud: missingFip, findings: [{ verdict: 'fail', subject: S('net1') }] },
    { name: 'excluded VIPs lack a floating IP (replicas compared)', cloud: missingFip, withFacts: false, findings: [{ verdict: 'fail', subject: S('net1') }] },
    { name: 'garp_master_refresh set (lp#1520517)', cloud: mutate('ha', (c) => { inst(c, 'net1').garpMasterRefresh = 10; }), findings: [{ verdict: 'fail', subject: S('net1') }] },
    { name: 'garp_master_delay missing on Mitaka+', cloud: mutate('ha', (c) => { delete inst(c, 'net2').garpMasterDelay; }), findings: [{ verdict: 'fail', subject: S('net2') }] },
    { name: 'vrrp_garp_* in global_defs (deviation)', cloud: mutate('ha', (c) => { nodeOf(c, 'net1').haRouters[0]!.config!.globalDefs['vrrp_garp_master_repeat'] = '1'; }), findings: [{ verdict: 'warn', subject: S('net1') }] },
    { name: 'track_interface empty (lp#1874211)', cloud: mutate('dvr-ha', (c) => { inst(c, 'net2').trackInterfaces = []; }), findings: [{ verdict: 'fail', subject: S('net2') }] },
    { name: 'default route via the wrong gateway', cloud: mutate('ha', (c) => { inst(c, 'net1').virtualRoutes[0]!.via = '203.0.113.254'; }), findings: [{ verdict: 'fail', subject: S('net1') }] },
    { name: 'keepalived.conf not read', cloud: mutate('ha', (c) => { delete nodeOf(c, 'net2').haRouters[0]!.config; }), findings: [{ verdict: 'warn', subject: S('net2') }] },
  ],
};

runCheckCases(cases);
