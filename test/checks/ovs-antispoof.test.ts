import { check } from '../../checks/ovs-antispoof';
import { runCheckCases, healthyFixtures, type CheckCases } from './fixtures/cases';
import { DEV, NET, PORT, mutate, nodeOf, type Cloud } from './fixtures/cloud';
import { dev, flows, ns, refreshEvidence } from './fixtures/build';
import type { FactsPort } from '../../src/model/facts';

const noSpa = mutate('legacy', (c) => { const n = nodeOf(c, 'cmp1'); n.flows['br-int'] = n.flows['br-int']!.filter((f) => !(f.table === 24 && f.match['arp_spa'])); });
const S = { node: 'cmp1', port: PORT.vm1.id, device: DEV.tap1 };

/** vm1's facts port, changed by `edit` (port security, allowed address pairs: ground-truth §4.1) */
const withPort = (c: Cloud, edit: Partial<FactsPort>): void => { Object.assign(c.facts.ports.find((p) => p.id === PORT.vm1.id)!, edit); };
const tap1Ofport = (c: Cloud): number => nodeOf(c, 'cmp1').ovs!.bridges.find((b) => b.name === 'br-int')!.ports.find((p) => p.name === DEV.tap1)!.interfaces[0]!.ofport!;
/** vm1's table 24 flows replaced by one arp_spa flow per entry of `spas` */
const withSpas = (c: Cloud, spas: string[]): void => {
  const n = nodeOf(c, 'cmp1');
  const of = tap1Ofport(c);
  n.flows['br-int'] = [
    ...n.flows['br-int']!.filter((f) => !(f.table === 24 && f.match['arp_spa'] && f.match['in_port'] === String(of))),
    ...flows(spas.map((spa) => ` cookie=0x1, table=24, priority=2,arp,in_port=${of},arp_spa=${spa} actions=resubmit(,25)`).join('\n')),
  ];
};
const noTap1Arp = (c: Cloud): void => {
  const n = nodeOf(c, 'cmp1');
  const of = String(tap1Ofport(c));
  n.flows['br-int'] = n.flows['br-int']!.filter((f) => !('arp' in f.match && f.match['in_port'] === of));
};
const AAP_VIP = '10.0.0.50';

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
    ...(['legacy', 'dvr'] as const).map((mode) => ({
      name: `${mode}: port security disabled and no anti-spoofing flows (the agent removed them)`,
      cloud: mutate(mode, (c) => { withPort(c, { portSecurityEnabled: false }); noTap1Arp(c); }),
    })),
    {
      name: 'allowed address pair IP covered by its own arp_spa flow',
      cloud: mutate('legacy', (c) => { withPort(c, { allowedAddressPairs: [{ ipAddress: AAP_VIP }] }); withSpas(c, [PORT.vm1.ip, AAP_VIP]); }),
    },
    {
      name: 'allowed address pair CIDR covered by the same arp_spa CIDR',
      cloud: mutate('legacy', (c) => { withPort(c, { allowedAddressPairs: [{ ipAddress: '10.0.0.64/26', macAddress: 'fa:16:3e:00:00:77' }] }); withSpas(c, [PORT.vm1.ip, '10.0.0.64/26']); }),
    },
    {
      name: 'allowed address pair CIDR covered by a wider arp_spa CIDR',
      cloud: mutate('dvr', (c) => { withPort(c, { allowedAddressPairs: [{ ipAddress: '10.0.0.64/26' }] }); withSpas(c, ['10.0.0.0/24']); }),
    },
    {
      // issue 15, seen on a data plane of the real Zed agents: the DHCP port is a tap… in qdhcp-
      // (owner network:dhcp, no vm-uuid); without facts it is not an instance port
      name: 'no facts: the DHCP port (tap… inside qdhcp-, iface-id + attached-mac, no vm-uuid) is not an instance port',
      withFacts: false,
      cloud: mutate('legacy', (c) => {
        const n = nodeOf(c, 'net1');
        const tap = 'tapd0d0d0d0-11';
        n.namespaces.push(ns(`qdhcp-${NET}`, [dev(tap, 'fa:16:3e:00:00:d1', ['10.0.0.2/24'])]));
        n.ovs!.bridges.find((b) => b.name === 'br-int')!.ports.push({ name: tap, tag: 1, interfaces: [{ name: tap, type: 'internal', ofport: 77, externalIds: { 'iface-id': 'd0d0d0d0-1111-4111-8111-0000000000d1', 'attached-mac': 'fa:16:3e:00:00:d1', 'iface-status': 'active' } }] });
        refreshEvidence(n);
      }),
    },
    {
      name: 'a /0 allowed address pair: no anti-spoofing flows are expected',
      cloud: mutate('legacy', (c) => { withPort(c, { allowedAddressPairs: [{ ipAddress: '0.0.0.0/0' }] }); noTap1Arp(c); }),
    },
  ],
  invalid: [
    {
      name: 'port security disabled but table 24 flows left behind',
      cloud: mutate('legacy', (c) => withPort(c, { portSecurityEnabled: false })),
      findings: [{ verdict: 'warn', subject: S }],
    },
    {
      name: 'port security explicitly enabled and no arp_spa flow',
      cloud: mutate('legacy', (c) => { withPort(c, { portSecurityEnabled: true }); noTap1Arp(c); }),
      findings: [{ verdict: 'fail', subject: S }],
    },
    {
      name: 'allowed address pair IP without an arp_spa flow',
      cloud: mutate('legacy', (c) => withPort(c, { allowedAddressPairs: [{ ipAddress: AAP_VIP }] })),
      findings: [{ verdict: 'fail', subject: S }],
    },
    {
      name: 'allowed address pair CIDR only partly covered (a host of it is not the whole CIDR)',
      cloud: mutate('legacy', (c) => { withPort(c, { allowedAddressPairs: [{ ipAddress: '10.0.0.64/26' }] }); withSpas(c, [PORT.vm1.ip, '10.0.0.64', '10.0.0.64/27']); }),
      findings: [{ verdict: 'fail', subject: S }],
    },
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
