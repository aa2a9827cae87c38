import { check } from '../../checks/prerequisites';
import { runCheckCases, healthyFixtures, type CheckCases } from './fixtures/cases';
import { FIPNS, QROUTER, DEV, mutate, nodeOf, nsOf } from './fixtures/cloud';

export const cases: CheckCases = {
  check,
  valid: [
    ...healthyFixtures(),
    { name: 'arp_* not required before Pike', cloud: mutate('legacy', (c) => { const s = nsOf(c, 'net1', QROUTER).sysctls; delete s['net.ipv4.conf.all.arp_ignore']; delete s['net.ipv4.conf.all.arp_announce']; }), params: { release: 'ocata' } },
    { name: 'HA ip_nonlocal_bind 0 in Ocata–Zed', cloud: mutate('ha', () => undefined), params: { release: 'train' } },
  ],
  invalid: [
    { name: 'ip_forward off in a router namespace', cloud: mutate('legacy', (c) => { nsOf(c, 'net1', QROUTER).sysctls['net.ipv4.ip_forward'] = '0'; }), findings: [{ verdict: 'fail', subject: { node: 'net1', namespace: QROUTER } }] },
    { name: 'keepalived too old for G-ARP on reload (lp#1639315)', cloud: mutate('ha', (c) => { nodeOf(c, 'net2').versions['keepalived'] = 'Keepalived v1.2.13 (05/25,2014)'; }), findings: [{ verdict: 'fail', subject: { node: 'net2' } }] },
    { name: 'Debian arping package instead of iputils', cloud: mutate('dvr', (c) => { nodeOf(c, 'cmp1').versions['arping'] = 'ARPing 2.23, by Thomas Habets <thomas@habets.se>'; }), findings: [{ verdict: 'fail', subject: { node: 'cmp1' } }] },
    { name: 'proxy_arp off on fg-', cloud: mutate('dvr', (c) => { nsOf(c, 'cmp1', FIPNS).sysctls[`net.ipv4.conf.${DEV.fg1}.proxy_arp`] = '0'; }), findings: [{ verdict: 'fail', subject: { node: 'cmp1', namespace: FIPNS } }] },
    { name: 'sysctls not collected', cloud: mutate('legacy', (c) => { nsOf(c, 'net1', QROUTER).sysctls = {}; }), findings: [{ verdict: 'warn', subject: { node: 'net1', namespace: QROUTER } }] },
    {
      name: 'HA ip_nonlocal_bind must be 1 since 2023.1',
      cloud: mutate('ha', () => undefined),
      params: { release: '2023.1+' },
      findings: [{ verdict: 'fail', subject: { node: 'net1', namespace: QROUTER } }, { verdict: 'fail', subject: { node: 'net2', namespace: QROUTER } }],
    },
    { name: 'arping version not collected', cloud: mutate('legacy', (c) => { delete nodeOf(c, 'net1').versions['arping']; }), findings: [{ verdict: 'warn', subject: { node: 'net1' } }] },
  ],
};

runCheckCases(cases);
