import { check } from '../../checks/prerequisites';
import { runCheckCases, healthyFixtures, type CheckCases } from './fixtures/cases';
import { FIPNS, QROUTER, DEV, mutate, nodeOf, nsOf, type Cloud } from './fixtures/cloud';

const oldKeepalived = (more?: (c: Cloud) => void): Cloud => mutate('ha', (c) => { nodeOf(c, 'net2').versions['keepalived'] = 'Keepalived v1.2.13 (05/25,2014)'; more?.(c); });

export const cases: CheckCases = {
  check,
  valid: [
    ...healthyFixtures(),
    { name: 'arp_* not required before Pike', cloud: mutate('legacy', (c) => { const s = nsOf(c, 'net1', QROUTER).sysctls; delete s['net.ipv4.conf.all.arp_ignore']; delete s['net.ipv4.conf.all.arp_announce']; }), params: { release: 'ocata' } },
    { name: 'HA ip_nonlocal_bind 0 in Ocata–Zed', cloud: mutate('ha', () => undefined), params: { release: 'train' } },
  ],
  invalid: [
    { name: 'ip_forward off in a router namespace', cloud: mutate('legacy', (c) => { nsOf(c, 'net1', QROUTER).sysctls['net.ipv4.ip_forward'] = '0'; }), findings: [{ verdict: 'fail', subject: { node: 'net1', namespace: QROUTER } }] },
    // keepalived < 1.2.20 per release (ground-truth §7 #1-#2, issue 15): a fail only where nothing else sends the G-ARPs
    { name: 'keepalived too old for G-ARP on reload (lp#1639315), release wallaby', params: { release: 'wallaby' }, cloud: oldKeepalived(), findings: [{ verdict: 'fail', subject: { node: 'net2' } }] },
    { name: 'keepalived too old, release newton (state-change G-ARPs only with the stable backport): warn', params: { release: 'newton' }, cloud: oldKeepalived(), findings: [{ verdict: 'warn', subject: { node: 'net2' } }] },
    { name: 'keepalived too old, release train (state-change arping broken, lp#1870313): warn', params: { release: 'train' }, cloud: oldKeepalived(), findings: [{ verdict: 'warn', subject: { node: 'net2' } }] },
    { name: 'keepalived too old, release queens: the state-change daemon sends the G-ARPs, a note', params: { release: 'queens' }, cloud: oldKeepalived(), findings: [{ verdict: 'pass', subject: { node: 'net2' } }] },
    { name: 'keepalived too old, release pike+ (spans Wallaby) or unknown: warn with the reason', params: { release: 'pike+' }, cloud: oldKeepalived(), findings: [{ verdict: 'warn', subject: { node: 'net2' } }] },
    { name: 'containerised agents (kolla): no keepalived/arping on the host is a skip, the host iptables a note', params: { release: 'wallaby' }, cloud: mutate('ha', (c) => {
      const n = nodeOf(c, 'net2');
      n.versions['keepalived'] = 'sh: 1: keepalived: not found';
      n.versions['arping'] = 'sh: 1: arping: not found';
      n.versions['containers'] = 'neutron_l3_agent neutron_openvswitch_agent';
    }), findings: [{ verdict: 'skip', subject: { node: 'net2' } }, { verdict: 'pass', subject: { node: 'net2' } }] },
    { name: 'containerised agents: an old host keepalived is only a warn (the containers carry their own)', params: { release: 'wallaby' }, cloud: oldKeepalived((c) => { nodeOf(c, 'net2').versions['containers'] = 'neutron-keepalived-qrouter-1'; }), findings: [{ verdict: 'warn', subject: { node: 'net2' } }, { verdict: 'pass', subject: { node: 'net2' } }] },
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
