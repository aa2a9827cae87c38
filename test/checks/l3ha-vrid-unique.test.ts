import { check } from '../../checks/l3ha-vrid-unique';
import { runCheckCases, healthyFixtures, type CheckCases } from './fixtures/cases';
import { HA_NET, QROUTER, R, mutate, nodeOf, type Cloud } from './fixtures/cloud';
import { ns, refreshEvidence } from './fixtures/build';

const R2 = 'a1b2c3d4-1111-4111-8111-000000000002';
/** a second HA router on the same HA network that got the same vr_id (lp#1823314) */
const addTwin = (c: Cloud, vrid: number): void => {
  for (const n of ['net1', 'net2']) {
    const node = nodeOf(c, n);
    const cfg = structuredClone(node.haRouters[0]!.config!);
    cfg.instances[0]!.virtualRouterId = vrid;
    node.haRouters.push({ routerId: R2, state: 'backup', config: cfg });
    node.namespaces.push(ns(`qrouter-${R2}`, []));
    refreshEvidence(node);
  }
  c.facts.routers.push({ ...structuredClone(c.facts.routers[0]!), id: R2, haVrId: vrid, haState: undefined });
  c.facts.ports.push({ id: 'f0000000-0000-4000-8000-00000000000f', deviceOwner: 'network:router_ha_interface', deviceId: R2, networkId: HA_NET, mac: 'fa:16:3e:00:00:ff', fixedIps: ['169.254.192.9'], host: 'net1' });
};
const twin = mutate('ha', (c) => addTwin(c, 1));

export const cases: CheckCases = {
  check,
  valid: [
    ...healthyFixtures(['ha', 'dvr-ha']),
    { name: 'two routers with distinct vr_ids', cloud: mutate('ha', (c) => addTwin(c, 2)) },
  ],
  invalid: [
    {
      name: 'replicas disagree on virtual_router_id',
      cloud: mutate('ha', (c) => { nodeOf(c, 'net2').haRouters[0]!.config!.instances[0]!.virtualRouterId = 9; }),
      findings: [{ verdict: 'fail', subject: { router: R } }],
    },
    { name: 'config differs from facts ha_vr_id', cloud: mutate('ha', (c) => { c.facts.routers[0]!.haVrId = 7; }), findings: [{ verdict: 'fail', subject: { router: R } }] },
    { name: 'two routers share a vr_id on one HA network (lp#1823314)', cloud: twin, findings: [{ verdict: 'fail', subject: { router: R } }, { verdict: 'fail', subject: { router: R2 } }] },
    { name: 'two routers share a vr_id, HA network unknown without facts', cloud: twin, withFacts: false, findings: [{ verdict: 'warn', subject: { router: R } }, { verdict: 'warn', subject: { router: R2 } }] },
  ],
};

void QROUTER;
runCheckCases(cases);
