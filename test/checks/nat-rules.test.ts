import { expect } from 'chai';
import { check } from '../../checks/nat-rules';
import { guessReleaseFamily } from '../../checks/lib/nat';
import { runCheckCases, healthyFixtures, type CheckCases } from './fixtures/cases';
import { DEV, FIP1, FIP2, GW_IP, QROUTER, mutate, nodeOf, nsOf, type Cloud } from './fixtures/cloud';
import { iptables } from './fixtures/build';

const dropRules = (c: Cloud, node: string, nsName: string, pred: (chain: string, spec: string) => boolean): void => {
  const n = nsOf(c, node, nsName);
  n.iptables!.rules = n.iptables!.rules.filter((r) => !pred(r.chain, r.spec));
};
const missingDnat = mutate('legacy', (c) => dropRules(c, 'net1', QROUTER, (ch, s) => ch.endsWith('PREROUTING') && s.includes(`-d ${FIP1.floatingIp}/32`)));
const haBackupMissing = mutate('ha', (c) => dropRules(c, 'net2', QROUTER, (ch, s) => ch.endsWith('PREROUTING') && s.includes(`-d ${FIP1.floatingIp}/32`)));

/** the Juno/Kilo + pre-Train forms of ground-truth §1c "Historical rule forms" */
const historical = mutate('legacy', (c) => {
  const fips = [FIP1, FIP2];
  nsOf(c, 'net1', QROUTER).iptables = iptables([
    ...fips.map((f) => `-A neutron-l3-agent-OUTPUT -d ${f.floatingIp} -j DNAT --to ${f.fixedIp}`),
    `-A neutron-l3-agent-POSTROUTING ! -i ${DEV.qg} ! -o ${DEV.qg} -m conntrack ! --ctstate DNAT -j ACCEPT`,
    '-A neutron-l3-agent-PREROUTING -s 0.0.0.0/0 -d 169.254.169.254/32 -i qr-+ -p tcp -m tcp --dport 80 -j REDIRECT --to-port 9697',
    ...fips.map((f) => `-A neutron-l3-agent-PREROUTING -d ${f.floatingIp} -j DNAT --to ${f.fixedIp}`),
    ...fips.map((f) => `-A neutron-l3-agent-float-snat -s ${f.fixedIp} -j SNAT --to ${f.floatingIp}`),
    '-A neutron-l3-agent-snat -j neutron-l3-agent-float-snat',
    `-A neutron-l3-agent-snat -o ${DEV.qg} -j SNAT --to-source ${GW_IP}`,
    `-A neutron-l3-agent-snat -m mark ! --mark 0x2/0xffff -m conntrack --ctstate DNAT -j SNAT --to-source ${GW_IP}`,
  ]);
});
const S = (node: string, namespace: string, floatingIp?: string) => (floatingIp ? { node, namespace, floatingIp } : { node, namespace });

export const cases: CheckCases = {
  check,
  valid: [
    ...healthyFixtures(),
    { name: 'Juno/Kilo forms (--to, no /32, ! -i qg- ! -o qg-, no --random-fully)', cloud: historical },
    { name: 'Juno/Kilo forms without facts', cloud: historical, withFacts: false },
  ],
  invalid: [
    // issue 12: the Train rule forms
    {
      name: 'Train+: POSTROUTING with ! -i qg- under iptables-nft (lp#1834825)',
      cloud: mutate('legacy', (c) => { for (const r of nsOf(c, 'net1', QROUTER).iptables!.rules) if (r.chain.endsWith('POSTROUTING') && r.target === 'ACCEPT') { r.spec = r.spec.replace('! -o', `! -i ${DEV.qg} ! -o`); r.inIface = DEV.qg; r.negated = { ...(r.negated ?? {}), inIface: true }; } }),
      params: { release: 'train' },
      findings: [{ verdict: 'fail', subject: { node: 'net1', namespace: QROUTER } }],
    },
    {
      name: 'Train+: gateway SNAT without --random-fully (lp#1814002)',
      cloud: mutate('legacy', (c) => { for (const r of nsOf(c, 'net1', QROUTER).iptables!.rules) r.spec = r.spec.replace(' --random-fully', ''); }),
      params: { release: '2024.1' },
      findings: [{ verdict: 'fail', subject: { node: 'net1', namespace: QROUTER } }],
    },
    {
      // issue 15: kolla/TripleO run iptables in the agent container; the host binary may read the other backend
      name: 'containerised agents and no nat rules seen by the host iptables-save: skip with the reason, not a fail',
      cloud: mutate('legacy', (c) => { nsOf(c, 'net1', QROUTER).iptables!.rules = []; nodeOf(c, 'net1').versions['containers'] = 'neutron_l3_agent'; }),
      findings: [{ verdict: 'skip', subject: { node: 'net1', namespace: QROUTER } }],
    },
    { name: 'missing PREROUTING DNAT of a FIP (facts)', cloud: missingDnat, findings: [{ verdict: 'fail', subject: S('net1', QROUTER, FIP1.floatingIp) }] },
    { name: 'missing PREROUTING DNAT of a FIP (float-snat still names it)', cloud: missingDnat, withFacts: false, findings: [{ verdict: 'fail', subject: S('net1', QROUTER, FIP1.floatingIp) }] },
    { name: 'HA: DNAT missing on the backup replica', cloud: haBackupMissing, findings: [{ verdict: 'fail', subject: S('net2', QROUTER, FIP1.floatingIp) }] },
    { name: 'HA: DNAT missing on the backup replica (no facts: replicas compared)', cloud: haBackupMissing, withFacts: false, findings: [{ verdict: 'fail', subject: S('net2', QROUTER, FIP1.floatingIp) }] },
    {
      name: 'legacy: OUTPUT DNAT and float-snat missing',
      cloud: mutate('legacy', (c) => dropRules(c, 'net1', QROUTER, (ch, s) => (ch.endsWith('OUTPUT') || ch.endsWith('float-snat')) && s.includes(FIP2.floatingIp))),
      findings: [{ verdict: 'fail', subject: S('net1', QROUTER, FIP2.floatingIp) }],
    },
    {
      name: 'DVR: DNAT not bound to -i rfp- (lp#1462154)',
      cloud: mutate('dvr', (c) => { for (const r of nsOf(c, 'cmp1', QROUTER).iptables!.rules) if (r.target === 'DNAT') { r.spec = r.spec.replace(` -i ${DEV.rfp}`, ''); delete r.inIface; } }),
      findings: [{ verdict: 'fail', subject: S('cmp1', QROUTER, FIP1.floatingIp) }],
    },
    {
      name: 'NAT rules for a disassociated floating IP',
      cloud: mutate('legacy', (c) => nsOf(c, 'net1', QROUTER).iptables!.rules.push(...iptables(['-A neutron-l3-agent-PREROUTING -d 203.0.113.77/32 -j DNAT --to-destination 10.0.0.77']).rules)),
      findings: [{ verdict: 'fail', subject: S('net1', QROUTER, '203.0.113.77') }],
    },
    {
      name: 'metadata REDIRECT missing',
      cloud: mutate('legacy', (c) => dropRules(c, 'net1', QROUTER, (_ch, s) => s.includes('REDIRECT'))),
      findings: [{ verdict: 'fail', subject: S('net1', QROUTER) }],
    },
    {
      name: 'gateway SNAT and POSTROUTING accept missing',
      cloud: mutate('legacy', (c) => dropRules(c, 'net1', QROUTER, (ch, s) => s.includes(`-o ${DEV.qg}`))),
      findings: [{ verdict: 'fail', subject: S('net1', QROUTER) }],
    },
    {
      name: 'iptables not collected',
      cloud: mutate('legacy', (c) => { delete nsOf(c, 'net1', QROUTER).iptables; }),
      findings: [{ verdict: 'warn', subject: S('net1', QROUTER) }],
    },
  ],
};

runCheckCases(cases);

describe('nat-rules: release family guess', () => {
  it('recognises Juno/Kilo, Liberty–Stein and Train+ forms', () => {
    expect(guessReleaseFamily(nsOf(historical, 'net1', QROUTER).iptables!.rules)).to.equal('juno-kilo');
    expect(guessReleaseFamily(iptables([`-A neutron-l3-agent-POSTROUTING ! -i qg-x ! -o qg-x -m conntrack ! --ctstate DNAT -j ACCEPT`]).rules)).to.equal('liberty-stein');
    expect(guessReleaseFamily(nsOf(missingDnat, 'net1', QROUTER).iptables!.rules)).to.equal('train+');
  });
});
