import { check } from '../../checks/ovs-antispoof';
import { runCheckCases, healthyFixtures, type CheckCases } from './fixtures/cases';
import { DEV, PORT, mutate, nodeOf } from './fixtures/cloud';
import { flows } from './fixtures/build';

const noSpa = mutate('legacy', (c) => { const n = nodeOf(c, 'cmp1'); n.flows['br-int'] = n.flows['br-int']!.filter((f) => !(f.table === 24 && f.match['arp_spa'])); });
const S = { node: 'cmp1', port: PORT.vm1.id, device: DEV.tap1 };

export const cases: CheckCases = {
  check,
  valid: [
    ...healthyFixtures(),
    {
      name: 'in_port given by name and arp_spa as a CIDR',
      cloud: mutate('legacy', (c) => {
        const n = nodeOf(c, 'cmp1');
        n.flows['br-int'] = flows([
          ` cookie=0x1, table=0, priority=10,arp,in_port="${DEV.tap1}" actions=goto_table:24`,
          ` cookie=0x1, table=24, priority=2,arp,in_port="${DEV.tap1}",arp_spa=10.0.0.0/24 actions=goto_table:25`,
        ].join('\n'));
      }),
    },
    {
      // seen on the DVR lab: fg- on br-ex had the same ofport number as the instance tap on br-int
      name: 'a br-ex port whose ofport number equals an instance port on br-int is not judged by br-int flows',
      cloud: mutate('dvr', (c) => {
        const n = nodeOf(c, 'cmp1');
        const brInt = n.ovs!.bridges.find((b) => b.name === 'br-int')!;
        const tap = brInt.ports.find((p) => p.name === DEV.tap1)!.interfaces[0]!;
        const fgPort = brInt.ports.find((p) => p.name.startsWith('fg-'))!;
        brInt.ports = brInt.ports.filter((p) => p !== fgPort);
        fgPort.interfaces[0]!.ofport = tap.ofport;
        n.ovs!.bridges.find((b) => b.name === 'br-ex')!.ports.push(fgPort);
      }),
    },
  ],
  invalid: [
    { name: 'arp_spa flow of an instance deleted', cloud: noSpa, findings: [{ verdict: 'fail', subject: S }] },
    { name: 'arp_spa flow of an instance deleted (no facts)', cloud: noSpa, withFacts: false, findings: [{ verdict: 'fail', subject: S }] },
    {
      name: 'table 0 ARP → 24 flow missing',
      cloud: mutate('dvr', (c) => { const n = nodeOf(c, 'cmp1'); n.flows['br-int'] = n.flows['br-int']!.filter((f) => !(f.table === 0 && 'arp' in f.match)); }),
      findings: [{ verdict: 'fail', subject: S }],
    },
    {
      name: 'router port with an anti-spoof flow',
      cloud: mutate('legacy', (c) => {
        const n = nodeOf(c, 'net1');
        const of = n.ovs!.bridges[0]!.ports.find((p) => p.name === DEV.qr)!.interfaces[0]!.ofport;
        n.flows['br-int']!.push(...flows(` cookie=0x1, table=24, priority=2,arp,in_port=${of},arp_spa=10.0.0.1 actions=resubmit(,25)`));
      }),
      findings: [{ verdict: 'fail', subject: { node: 'net1', port: PORT.qr.id, device: DEV.qr } }],
    },
    {
      name: 'flows not collected',
      cloud: mutate('legacy', (c) => { nodeOf(c, 'cmp1').flows = {}; }),
      findings: [{ verdict: 'warn', subject: S }],
    },
  ],
};

runCheckCases(cases);
