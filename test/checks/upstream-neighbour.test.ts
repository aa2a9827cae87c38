import { check } from '../../checks/upstream-neighbour';
import { runCheckCases, healthyFixtures, type CheckCases } from './fixtures/cases';
import { FIP1, PORT, mutate, nodeOf, type Cloud } from './fixtures/cloud';

const entry = (c: Cloud) => nodeOf(c, 'upstream').root!.neighbours.find((n) => n.ip === FIP1.floatingIp)!;
const oldMac = mutate('legacy', (c) => { entry(c).mac = 'fa:16:3e:01:d0:00'; });
const S = { node: 'upstream', floatingIp: FIP1.floatingIp };

export const cases: CheckCases = {
  check,
  valid: [
    ...healthyFixtures(),
    { name: 'STALE entry with the right MAC is fine', cloud: mutate('ha', (c) => { entry(c).state = 'STALE'; }) },
  ],
  invalid: [
    { name: 'upstream still points at the old MAC (missing G-ARP)', cloud: oldMac, findings: [{ verdict: 'fail', subject: S }] },
    { name: 'upstream still points at the old MAC (no facts: qg- owns the /32)', cloud: oldMac, withFacts: false, findings: [{ verdict: 'fail', subject: S }] },
    { name: 'DVR: upstream points at the qg- MAC instead of the fg- of the host', cloud: mutate('dvr', (c) => { entry(c).mac = PORT.qg.mac; }), findings: [{ verdict: 'fail', subject: S }] },
    { name: 'DVR: wrong owner without facts (fip route → fg- MAC)', cloud: mutate('dvr', (c) => { entry(c).mac = PORT.fg2.mac; }), withFacts: false, findings: [{ verdict: 'fail', subject: S }] },
    { name: 'no neighbour entry: not proven', cloud: mutate('ha', (c) => { const r = nodeOf(c, 'upstream').root!; r.neighbours = r.neighbours.filter((n) => n.ip !== FIP1.floatingIp); }), findings: [{ verdict: 'warn', subject: S }] },
    { name: 'FAILED entry: not proven', cloud: mutate('legacy', (c) => { entry(c).state = 'FAILED'; delete entry(c).mac; }), findings: [{ verdict: 'warn', subject: S }] },
  ],
};

runCheckCases(cases);
