import { check } from '../../checks/fip-placement';
import { runCheckCases, healthyFixtures, type CheckCases } from './fixtures/cases';
import { DEV, FIP1, FIPNS, QROUTER, mutate, devOf, nsOf } from './fixtures/cloud';
import { addr, rule } from './fixtures/build';

const noFip = mutate('legacy', (c) => { const d = devOf(c, 'net1', QROUTER, DEV.qg); d.addresses = d.addresses.filter((a) => a.address !== FIP1.floatingIp); });
const extra = mutate('legacy', (c) => devOf(c, 'net1', QROUTER, DEV.qg).addresses.push(addr('203.0.113.99/32')));
const noRoute = mutate('dvr', (c) => { const n = nsOf(c, 'cmp1', FIPNS); n.routes = n.routes.filter((r) => !r.dst.startsWith(FIP1.floatingIp)); });
const fipOnFg = mutate('dvr', (c) => devOf(c, 'cmp1', FIPNS, DEV.fg1).addresses.push(addr(`${FIP1.floatingIp}/32`)));
const S = (node: string, namespace: string, floatingIp = FIP1.floatingIp) => ({ node, namespace, floatingIp });

export const cases: CheckCases = {
  check,
  valid: [
    ...healthyFixtures(),
    { name: 'IPv6 link-local on qg- is fine', cloud: mutate('legacy', (c) => devOf(c, 'net1', QROUTER, DEV.qg).addresses.push(addr('fe80::f816:3eff:fe00:a2/64'))) },
    { name: 'table 16 not collected is not judged', cloud: mutate('dvr', (c) => { const n = nsOf(c, 'cmp1', QROUTER); n.routes = n.routes.filter((r) => r.table !== '16'); }) },
  ],
  invalid: [
    // issue 12
    {
      name: 'DVR: a lookup-16 rule for a fixed IP without floating IP (lp#1891673)',
      cloud: mutate('dvr', (c) => nsOf(c, 'cmp1', QROUTER).rules.push(rule(32769, '10.0.0.99', '16'))),
      findings: [{ verdict: 'fail', subject: { node: 'cmp1', namespace: QROUTER } }],
    },
    { name: 'legacy: FIP /32 missing on qg- (facts)', cloud: noFip, findings: [{ verdict: 'fail', subject: S('net1', QROUTER) }] },
    { name: 'legacy: FIP /32 missing on qg- (DNAT says it is a FIP)', cloud: noFip, withFacts: false, findings: [{ verdict: 'fail', subject: S('net1', QROUTER) }] },
    { name: 'legacy: extra /32 on qg- (facts)', cloud: extra, findings: [{ verdict: 'fail', subject: S('net1', QROUTER, '203.0.113.99') }] },
    { name: 'legacy: extra /32 on qg- (no DNAT rule)', cloud: extra, withFacts: false, findings: [{ verdict: 'fail', subject: S('net1', QROUTER, '203.0.113.99') }] },
    {
      name: 'HA: FIP on the backup too',
      cloud: mutate('ha', (c) => devOf(c, 'net2', QROUTER, DEV.qg).addresses.push(addr(`${FIP1.floatingIp}/32`))),
      findings: [{ verdict: 'fail', subject: S('net2', QROUTER) }],
    },
    {
      name: 'HA: FIP on the backup too (no facts)',
      cloud: mutate('ha', (c) => devOf(c, 'net2', QROUTER, DEV.qg).addresses.push(addr(`${FIP1.floatingIp}/32`))),
      withFacts: false,
      findings: [{ verdict: 'fail', subject: S('net2', QROUTER) }],
    },
    { name: 'DVR: FIP configured on fg-', cloud: fipOnFg, findings: [{ verdict: 'fail', subject: S('cmp1', FIPNS) }] },
    { name: 'DVR: no FIP route in the fip namespace', cloud: noRoute, findings: [{ verdict: 'fail', subject: S('cmp1', FIPNS) }] },
    { name: 'DVR: no FIP route in the fip namespace (no facts)', cloud: noRoute, withFacts: false, findings: [{ verdict: 'fail', subject: S('cmp1', FIPNS) }] },
    {
      name: 'DVR: no "from fixed lookup 16" rule',
      cloud: mutate('dvr', (c) => { const n = nsOf(c, 'cmp1', QROUTER); n.rules = n.rules.filter((r) => r.table !== '16'); }),
      findings: [{ verdict: 'fail', subject: S('cmp1', QROUTER) }],
    },
    {
      name: 'DVR: table 16 default not via the fpr- address',
      cloud: mutate('dvr', (c) => { const r = nsOf(c, 'cmp1', QROUTER).routes.find((x) => x.table === '16')!; r.via = '169.254.64.9'; }),
      findings: [{ verdict: 'fail', subject: S('cmp1', QROUTER) }],
    },
    {
      name: 'DVR: stale route for the FIP on another compute',
      cloud: mutate('dvr', (c) => nsOf(c, 'cmp2', FIPNS).routes.push({ dst: FIP1.floatingIp, via: '169.254.64.2', dev: DEV.fpr, raw: `${FIP1.floatingIp} via 169.254.64.2 dev ${DEV.fpr}` })),
      findings: [{ verdict: 'fail', subject: S('cmp2', FIPNS) }],
    },
    {
      name: 'DVR: stale /32 on rfp- (lp#1675187, no facts)',
      cloud: mutate('dvr', (c) => devOf(c, 'cmp1', QROUTER, DEV.rfp).addresses.push(addr('203.0.113.77/32'))),
      withFacts: false,
      findings: [{ verdict: 'fail', subject: S('cmp1', QROUTER, '203.0.113.77') }],
    },
  ],
};

runCheckCases(cases);
