import { check } from '../../checks/ovs-ports';
import { runCheckCases, healthyFixtures, type CheckCases } from './fixtures/cases';
import { DEV, PORT, mutate, nodeOf } from './fixtures/cloud';

const ports = (c: Parameters<typeof nodeOf>[0], n: string) => nodeOf(c, n).ovs!.bridges[0]!.ports;

export const cases: CheckCases = {
  check,
  valid: healthyFixtures(),
  invalid: [
    {
      name: 'instance tap not plugged',
      cloud: mutate('legacy', (c) => { nodeOf(c, 'cmp1').ovs!.bridges[0]!.ports = ports(c, 'cmp1').filter((p) => p.name !== DEV.tap1); }),
      findings: [{ verdict: 'fail', subject: { node: 'cmp1', port: PORT.vm1.id } }],
    },
    {
      name: 'router port attached-mac differs',
      cloud: mutate('legacy', (c) => { ports(c, 'net1').find((p) => p.name === DEV.qr)!.interfaces[0]!.externalIds['attached-mac'] = 'fa:16:3e:0b:ad:00'; }),
      findings: [{ verdict: 'fail', subject: { node: 'net1', port: PORT.qr.id, device: DEV.qr } }],
    },
    {
      name: 'router device not in OVS (no facts)',
      cloud: mutate('ha', (c) => { nodeOf(c, 'net2').ovs!.bridges[0]!.ports = ports(c, 'net2').filter((p) => p.name !== DEV.ha2); }),
      withFacts: false,
      findings: [{ verdict: 'fail', subject: { node: 'net2', port: DEV.ha2, device: DEV.ha2 } }],
    },
    {
      name: 'router port plugged on an unexpected bridge',
      cloud: mutate('dvr', (c) => {
        const b = nodeOf(c, 'cmp1').ovs!.bridges;
        const p = b[0]!.ports.find((x) => x.name === DEV.fg1)!;
        b[0]!.ports = b[0]!.ports.filter((x) => x !== p);
        b.push({ name: 'br-provider', ports: [p] });
      }),
      findings: [{ verdict: 'fail', subject: { node: 'cmp1', port: PORT.fg1.id, device: DEV.fg1 } }],
    },
  ],
};

runCheckCases(cases);
