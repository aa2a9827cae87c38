import { check } from '../../checks/ovs-tunnel-stale-mac';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { brtunCloud, BRTUN_ROUTER } from './fixtures/brtun';

/** §7 row 14 (lp#2123911) on the real-Neutron engine's outputs (more in brtun-and-mld.test.ts) */
export const cases: CheckCases = {
  check,
  valid: [
    { name: 'real engine after a failover: br-tun of cmp1 and of the backup send the qr- MAC to the primary net2', cloud: brtunCloud('healthy') },
    { name: 'same, without facts', cloud: brtunCloud('healthy'), withFacts: false },
    {
      name: 'learned entries aged out: br-tun floods the MACs to every tunnel, the primary\'s too — nothing stale, a pass',
      cloud: brtunCloud('stale', { mutate: (ns) => ns.forEach((n) => (n.flows['br-tun'] = (n.flows['br-tun'] ?? []).filter((f) => !(f.table === 20 && f.match.dl_dst)))) }),
    },
  ],
  invalid: [
    {
      name: 'lab fault lp2123911: cmp1 sends the qr- MAC to the backup net1\'s tunnel',
      cloud: brtunCloud('stale'),
      findings: [{ verdict: 'fail', subject: { node: 'cmp1', router: BRTUN_ROUTER, device: 'vxlan-c612090b' } }],
    },
  ],
};

runCheckCases(cases);
