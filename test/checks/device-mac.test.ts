import { check } from '../../checks/device-mac';
import { runCheckCases, healthyFixtures, type CheckCases } from './fixtures/cases';
import { DEV, PORT, QROUTER, mutate, devOf, nsOf } from './fixtures/cloud';
import { neigh } from './fixtures/build';

const macMismatch = mutate('legacy', (c) => { devOf(c, 'net1', QROUTER, DEV.qr).mac = 'fa:16:3e:de:ad:01'; });
const dvrMismatch = mutate('dvr', (c) => { devOf(c, 'cmp2', QROUTER, DEV.qr).mac = 'fa:16:3e:de:ad:02'; });

export const cases: CheckCases = {
  check,
  valid: [
    { name: 'DVR: PERMANENT neighbours of fixed IPs are the template', cloud: mutate('dvr', (c) => nsOf(c, 'cmp1', QROUTER).neighbours.push(neigh(PORT.vm1.ip, PORT.vm1.mac, 'PERMANENT', DEV.qr))) },
    ...healthyFixtures(),
    { name: 'upper-case MAC in the snapshot', cloud: mutate('legacy', (c) => { const d = devOf(c, 'net1', QROUTER, DEV.qr); d.mac = d.mac!.toUpperCase(); }) },
  ],
  invalid: [
    // issue 12
    {
      name: 'DVR: PERMANENT neighbour for an allowed-address-pair VIP (lp#1774459)',
      cloud: mutate('dvr', (c) => {
        c.facts.ports.find((p) => p.id === PORT.vm1.id)!.allowedAddressPairs = [{ ipAddress: '10.0.0.50' }];
        nsOf(c, 'cmp1', QROUTER).neighbours.push(neigh('10.0.0.50', PORT.vm1.mac, 'PERMANENT', DEV.qr));
      }),
      findings: [{ verdict: 'fail', subject: { node: 'cmp1', namespace: QROUTER, device: DEV.qr } }],
    },
    { name: 'qr- MAC differs from port and attached-mac (facts)', cloud: macMismatch, findings: [{ verdict: 'fail', subject: { node: 'net1', namespace: QROUTER, device: DEV.qr } }] },
    { name: 'qr- MAC differs from attached-mac (no facts)', cloud: macMismatch, withFacts: false, findings: [{ verdict: 'fail', subject: { node: 'net1', namespace: QROUTER, device: DEV.qr } }] },
    { name: 'DVR qr- MAC differs on one compute (facts)', cloud: dvrMismatch, findings: [{ verdict: 'fail', subject: { node: 'cmp2', namespace: QROUTER, device: DEV.qr } }] },
    { name: 'DVR qr- MAC differs on one compute (no facts: OVS and majority)', cloud: dvrMismatch, withFacts: false, findings: [{ verdict: 'fail', subject: { node: 'cmp2', namespace: QROUTER, device: DEV.qr } }] },
    {
      name: 'device named after no neutron port',
      cloud: mutate('legacy', (c) => { devOf(c, 'net1', QROUTER, DEV.qg).name = 'qg-deadbeef-00'; }),
      findings: [{ verdict: 'warn', subject: { node: 'net1', namespace: QROUTER, device: 'qg-deadbeef-00' } }],
    },
    {
      name: 'OVS iface-id names another device',
      cloud: mutate('ha', (c) => {
        const p = c.snapshot.nodes.find((n) => n.node === 'net2')!.ovs!.bridges[0]!.ports.find((x) => x.name === DEV.ha2)!;
        p.interfaces[0]!.externalIds['iface-id'] = 'ffffffff-0000-4000-8000-000000000000';
      }),
      findings: [{ verdict: 'fail', subject: { node: 'net2', namespace: QROUTER, device: DEV.ha2 } }],
    },
  ],
};

runCheckCases(cases);
