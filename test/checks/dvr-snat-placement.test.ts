import { check } from '../../checks/dvr-snat-placement';
import { runCheckCases, healthyFixtures, type CheckCases } from './fixtures/cases';
import { DEV, GW_IP, R, SNAT, mutate, devOf, nodeOf, nsOf } from './fixtures/cloud';
import { addr, dev } from './fixtures/build';

const onCompute = mutate('dvr', (c) => nodeOf(c, 'cmp1').namespaces.push(structuredClone(nsOf(c, 'net1', SNAT))));

export const cases: CheckCases = {
  check,
  valid: [
    ...healthyFixtures(['dvr', 'dvr-ha']),
    {
      // lab `--ipv6`: the tenant subnet is dual stack; the sg- port is judged on its IPv4 subnet
      name: 'DVR-HA dual stack: an IPv6 subnet beside the IPv4 one, the primary\'s sg- with its IPv6 VIP',
      cloud: mutate('dvr-ha', (c) => {
        c.facts.routers[0]!.subnets!.push({ id: 'sub-6', networkId: c.facts.routers[0]!.subnets![0]!.networkId, cidr: 'fd00:10::/64', gatewayIp: 'fd00:10::1' });
        devOf(c, 'net1', SNAT, DEV.sg).addresses.push(addr('fd00:10::3/64'));
      }),
    },
  ],
  invalid: [
    // issue 12
    {
      name: 'DVR-HA: a second ha- in the snat namespace (lp#1816698)',
      cloud: mutate('dvr-ha', (c) => nsOf(c, 'net1', SNAT).devices.push(dev('ha-0000dead-be', 'fa:16:3e:de:ad:be', ['169.254.192.9/18']))),
      findings: [{ verdict: 'fail', subject: { node: 'net1', namespace: SNAT } }],
    },
    {
      name: 'snat namespace lacks its sg- device',
      cloud: mutate('dvr', (c) => { const n = nsOf(c, 'net1', SNAT); n.devices = n.devices.filter((d) => d.name !== DEV.sg); }),
      findings: [{ verdict: 'fail', subject: { node: 'net1', namespace: SNAT } }],
    },
    { name: 'snat namespace on a compute (facts)', cloud: onCompute, findings: [{ verdict: 'fail', subject: { node: 'cmp1', namespace: SNAT } }] },
    { name: 'two snat namespaces for a non-HA DVR router (no facts)', cloud: onCompute, withFacts: false, findings: [{ verdict: 'fail', subject: { router: R } }] },
    {
      name: 'qg- without the gateway IP',
      cloud: mutate('dvr', (c) => { devOf(c, 'net1', SNAT, DEV.qg).addresses = []; }),
      findings: [{ verdict: 'fail', subject: { node: 'net1', namespace: SNAT } }],
    },
    {
      name: 'two sg- in one subnet',
      cloud: mutate('dvr', (c) => nsOf(c, 'net1', SNAT).devices.push({ name: 'sg-ffffffff-ff', mac: 'fa:16:3e:00:00:ff', flags: [], addresses: [addr('10.0.0.9/24')] })),
      findings: [{ verdict: 'fail', subject: { node: 'net1', namespace: SNAT } }],
    },
    {
      name: 'DVR-HA: both snat replicas hold the gateway VIPs',
      cloud: mutate('dvr-ha', (c) => devOf(c, 'net2', SNAT, DEV.qg).addresses.push(addr(`${GW_IP}/24`))),
      // net2 now claims the gateway but not the sg- VIPs: reported too
      findings: [{ verdict: 'fail', subject: { router: R } }, { verdict: 'fail', subject: { node: 'net2', namespace: SNAT } }],
    },
    {
      name: 'DVR-HA: snat missing on a snat host',
      cloud: mutate('dvr-ha', (c) => { nodeOf(c, 'net2').namespaces = nodeOf(c, 'net2').namespaces.filter((n) => n.name !== SNAT); }),
      findings: [{ verdict: 'fail', subject: { node: 'net2', namespace: SNAT } }],
    },
  ],
};

runCheckCases(cases);
