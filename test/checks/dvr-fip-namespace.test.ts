import { check } from '../../checks/dvr-fip-namespace';
import { runCheckCases, healthyFixtures, type CheckCases } from './fixtures/cases';
import { DEV, FIPNS, QROUTER, mutate, devOf, nodeOf, nsOf } from './fixtures/cloud';
import { dev } from './fixtures/build';

const noFpr = mutate('dvr', (c) => { const n = nsOf(c, 'cmp1', FIPNS); n.devices = n.devices.filter((d) => d.name !== DEV.fpr); });
const noFipNs = mutate('dvr', (c) => { nodeOf(c, 'cmp1').namespaces = nodeOf(c, 'cmp1').namespaces.filter((n) => n.name !== FIPNS); });

export const cases: CheckCases = {
  check,
  valid: [
    { name: 'proxy_delay 80 on fg- before 2023.1 is the kernel default', cloud: mutate('dvr', (c) => { nsOf(c, 'cmp1', FIPNS).sysctls[`net.ipv4.neigh.${DEV.fg1}.proxy_delay`] = '80'; }), params: { release: 'pike' } },
    ...healthyFixtures(['dvr', 'dvr-ha']),
    { name: 'Kilo link-local range 169.254.30.0/23', cloud: mutate('dvr', (c) => { devOf(c, 'cmp1', QROUTER, DEV.rfp).addresses[0]!.address = '169.254.31.28'; devOf(c, 'cmp1', FIPNS, DEV.fpr).addresses[0]!.address = '169.254.31.29'; }) },
  ],
  invalid: [
    // issue 12: proxy_delay of fg- (lp#1920975), judged by release
    {
      name: 'proxy_delay 80 on fg- on 2024.1 (lp#1920975)',
      cloud: mutate('dvr', (c) => { nsOf(c, 'cmp1', FIPNS).sysctls[`net.ipv4.neigh.${DEV.fg1}.proxy_delay`] = '80'; }),
      params: { release: '2024.1' },
      findings: [{ verdict: 'fail', subject: { node: 'cmp1', namespace: FIPNS, device: DEV.fg1 } }],
    },
    {
      name: 'proxy_delay 80 on fg- with an open release family (pike+): warn',
      cloud: mutate('dvr', (c) => { nsOf(c, 'cmp1', FIPNS).sysctls[`net.ipv4.neigh.${DEV.fg1}.proxy_delay`] = '80'; }),
      findings: [{ verdict: 'warn', subject: { node: 'cmp1', namespace: FIPNS, device: DEV.fg1 } }],
    },
    {
      name: 'two fg- devices (lp#1597561)',
      cloud: mutate('dvr', (c) => {
        const n = nsOf(c, 'cmp1', FIPNS);
        n.devices.push(dev('fg-ffffffff-ff', 'fa:16:3e:00:00:fe', ['203.0.113.39/24']));
        n.sysctls['net.ipv4.conf.fg-ffffffff-ff.proxy_arp'] = '1';
      }),
      findings: [{ verdict: 'fail', subject: { node: 'cmp1', namespace: FIPNS } }],
    },
    {
      name: 'proxy_arp off on fg-',
      cloud: mutate('dvr', (c) => { nsOf(c, 'cmp2', FIPNS).sysctls[`net.ipv4.conf.${DEV.fg2}.proxy_arp`] = '0'; }),
      findings: [{ verdict: 'fail', subject: { node: 'cmp2', namespace: FIPNS, device: DEV.fg2 } }],
    },
    {
      name: 'proxy_arp not collected',
      cloud: mutate('dvr', (c) => { nsOf(c, 'cmp2', FIPNS).sysctls = {}; }),
      findings: [{ verdict: 'warn', subject: { node: 'cmp2', namespace: FIPNS, device: DEV.fg2 } }],
    },
    { name: 'fpr- missing (lp#1776984)', cloud: noFpr, findings: [{ verdict: 'fail', subject: { node: 'cmp1', namespace: FIPNS, device: DEV.fpr } }] },
    {
      name: 'rfp- without its /31 (lp#1566383)',
      cloud: mutate('dvr', (c) => { devOf(c, 'cmp1', QROUTER, DEV.rfp).addresses = []; }),
      withFacts: false,
      findings: [{ verdict: 'fail', subject: { node: 'cmp1', namespace: FIPNS, device: DEV.fpr } }],
    },
    { name: 'rfp- but no fip namespace on the node', cloud: noFipNs, withFacts: false, findings: [{ verdict: 'fail', subject: { node: 'cmp1', namespace: QROUTER } }] },
    {
      name: 'fg- lost its address',
      cloud: mutate('dvr', (c) => { devOf(c, 'cmp1', FIPNS, DEV.fg1).addresses = []; }),
      findings: [{ verdict: 'fail', subject: { node: 'cmp1', namespace: FIPNS, device: DEV.fg1 } }],
    },
  ],
};

runCheckCases(cases);
