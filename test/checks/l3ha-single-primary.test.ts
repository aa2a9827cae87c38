import { expect } from 'chai';
import { check } from '../../checks/l3ha-single-primary';
import { contextOf, runCheckCases, healthyFixtures, type CheckCases } from './fixtures/cases';
import { DEV, GW_IP, QROUTER, R, SNAT, VRID, mutate, devOf, nodeOf, type Cloud } from './fixtures/cloud';
import { addr } from './fixtures/build';

const makePrimary = (c: Cloud, n: string, nsName: string, ha: string): void => {
  nodeOf(c, n).haRouters[0]!.state = 'primary';
  devOf(c, n, nsName, ha).addresses.push(addr(`169.254.0.${VRID}/24`));
  devOf(c, n, nsName, DEV.qg).addresses.push(addr(`${GW_IP}/24`));
};
const splitBrain = mutate('ha', (c) => makePrimary(c, 'net2', QROUTER, DEV.ha2));
const staleApi = mutate('ha', (c) => { c.facts.routers[0]!.haState = { net1: 'standby', net2: 'active' }; });
const SUBJ = { router: R };
const hr = (c: Cloud, n: string) => nodeOf(c, n).haRouters[0]!;
const listen = (adverts: number, sources: string[], error?: string) => ({ device: DEV.ha2, namespace: QROUTER, windowMs: 6000, adverts, sources, ...(error ? { error } : {}) });

export const cases: CheckCases = {
  check,
  valid: [
    ...healthyFixtures(['ha', 'dvr-ha']),
    // issue 12: the /proc scan and --listen-vrrp on a healthy router
    { name: 'every replica runs its keepalived (/proc scan, no pid file read)', cloud: mutate('ha', (c) => { for (const n of ['net1', 'net2']) { delete hr(c, n).keepalivedRunning; hr(c, n).keepalivedProcesses = [{ pid: 10, ppid: 1, state: 'S' }, { pid: 11, ppid: 10, state: 'S' }]; } }) },
    { name: '--listen-vrrp: the backup hears the primary', cloud: mutate('ha', (c) => { hr(c, 'net2').vrrpListen = listen(3, ['169.254.192.1']); hr(c, 'net1').vrrpListen = { ...listen(0, []), device: DEV.ha1 }; }) },
    { name: '"master" (Kilo–Ussuri) counts as primary', cloud: mutate('ha', (c) => { nodeOf(c, 'net1').haRouters[0]!.state = 'master'; }) },
    { name: 'stale API state ignored when params say so', cloud: staleApi, params: { ignoreFactsHaState: true } },
  ],
  invalid: [
    // issue 12
    {
      name: 'the primary lost the qg- addresses its keepalived.conf names (lp#1647432)',
      cloud: mutate('ha', (c) => { const x = devOf(c, 'net1', QROUTER, DEV.qg); x.addresses = []; }),
      findings: [{ verdict: 'fail', subject: SUBJ }],
    },
    { name: 'keepalived of the backup not running: not redundant', cloud: mutate('ha', (c) => { nodeOf(c, 'net2').haRouters[0]!.keepalivedRunning = false; }), findings: [{ verdict: 'fail', subject: SUBJ }] },
    {
      name: 'keepalived not running by the host\'s kill -0, agents in containers: warn',
      cloud: mutate('ha', (c) => { nodeOf(c, 'net2').haRouters[0]!.keepalivedRunning = false; nodeOf(c, 'net2').versions['containers'] = 'neutron_l3_agent'; }),
      findings: [{ verdict: 'warn', subject: SUBJ }],
    },
    {
      name: 'pid file stale but the /proc scan shows this router\'s keepalived (parent and child) alive: warn, a stale pid file',
      cloud: mutate('ha', (c) => { Object.assign(hr(c, 'net2'), { keepalivedRunning: false, keepalivedDetail: 'pid 42 of x: no such process', keepalivedProcesses: [{ pid: 43, ppid: 1, state: 'S' }, { pid: 44, ppid: 43, state: 'S' }] }); }),
      findings: [{ verdict: 'warn', subject: SUBJ, message: /a stale pid file, or a keepalived in another pid namespace/ }],
    },
    {
      // CI of stop 24: the VRRP child a parent had just respawned, left alone by a kill -9 of the parent
      name: 'pid file names pid 1 (not keepalived), one lone keepalived of the router alive: warn, an orphaned VRRP child, not a stale pid file',
      cloud: mutate('ha', (c) => { Object.assign(hr(c, 'net2'), { keepalivedRunning: false, keepalivedDetail: 'pid 1 of /var/lib/neutron/ha_confs/r.pid.keepalived: is bash, not keepalived', keepalivedProcesses: [{ pid: 2236, ppid: 1, state: 'S' }] }); }),
      findings: [{ verdict: 'warn', subject: SUBJ, message: /pid 2236 S\): no parent\/child pair among them: an orphaned VRRP child/ }],
    },
    {
      name: 'pid file stale, the parent stopped (T) and its VRRP child running: warn naming the stopped parent, not an orphan',
      cloud: mutate('ha', (c) => { Object.assign(hr(c, 'net2'), { keepalivedRunning: false, keepalivedDetail: 'pid 42 of x: no such process', keepalivedProcesses: [{ pid: 43, ppid: 1, state: 'T' }, { pid: 44, ppid: 43, state: 'S' }] }); }),
      findings: [{ verdict: 'warn', subject: SUBJ, message: /its parent keepalived 43 is not running \(state T\)/ }],
    },
    {
      name: 'pid file stale, the parent running and its VRRP child stopped (T): warn naming the stopped child',
      cloud: mutate('ha', (c) => { Object.assign(hr(c, 'net2'), { keepalivedRunning: false, keepalivedDetail: 'pid 42 of x: no such process', keepalivedProcesses: [{ pid: 43, ppid: 1, state: 'S' }, { pid: 44, ppid: 43, state: 'T' }] }); }),
      findings: [{ verdict: 'warn', subject: SUBJ, message: /its VRRP child 44 is not running \(state T\): no VRRP adverts/ }],
    },
    {
      name: 'no pid file read, the /proc scan finds only a stopped keepalived of the router: fail',
      cloud: mutate('ha', (c) => { delete hr(c, 'net2').keepalivedRunning; hr(c, 'net2').keepalivedProcesses = [{ pid: 43, ppid: 1, state: 'T' }]; }),
      findings: [{ verdict: 'fail', subject: SUBJ }],
    },
    {
      name: 'containers, but the /proc scan saw no keepalived of the router: fail, not a warn',
      cloud: mutate('ha', (c) => { Object.assign(hr(c, 'net2'), { keepalivedRunning: false, keepalivedProcesses: [] }); nodeOf(c, 'net2').versions['containers'] = 'neutron_l3_agent'; }),
      findings: [{ verdict: 'fail', subject: SUBJ }],
    },
    { name: '--listen-vrrp: the backup heard no advert from the primary', cloud: mutate('ha', (c) => { hr(c, 'net2').vrrpListen = listen(0, []); }), findings: [{ verdict: 'fail', subject: SUBJ }] },
    { name: '--listen-vrrp: adverts of another source only', cloud: mutate('ha', (c) => { hr(c, 'net2').vrrpListen = listen(2, ['169.254.192.9']); }), findings: [{ verdict: 'fail', subject: SUBJ }] },
    { name: '--listen-vrrp: the capture did not run (warn, never "heard none")', cloud: mutate('ha', (c) => { hr(c, 'net2').vrrpListen = listen(0, [], 'net2 ns:q:ha-x: capture did not start: tcpdump: not found'); }), findings: [{ verdict: 'warn', subject: SUBJ }] },
    { name: 'split brain: two primaries', cloud: splitBrain, findings: [{ verdict: 'fail', subject: SUBJ }] },
    { name: 'split brain without facts', cloud: splitBrain, withFacts: false, findings: [{ verdict: 'fail', subject: SUBJ }] },
    { name: 'DVR-HA split brain in the snat namespace', cloud: mutate('dvr-ha', (c) => makePrimary(c, 'net2', SNAT, DEV.ha2)), findings: [{ verdict: 'fail', subject: SUBJ }] },
    {
      name: 'no primary at all',
      cloud: mutate('ha', (c) => {
        nodeOf(c, 'net1').haRouters[0]!.state = 'backup';
        for (const d of [DEV.ha1, DEV.qr, DEV.qg]) { const x = devOf(c, 'net1', QROUTER, d); x.addresses = x.addresses.filter((a) => a.address.startsWith('169.254.192.')); }
      }),
      findings: [{ verdict: 'fail', subject: SUBJ }],
    },
    {
      name: 'state file primary but the primary VIP is not on ha- (lp#1818614)',
      cloud: mutate('ha', (c) => { const x = devOf(c, 'net1', QROUTER, DEV.ha1); x.addresses = x.addresses.filter((a) => !a.address.startsWith('169.254.0.')); }),
      findings: [{ verdict: 'fail', subject: SUBJ }],
    },
    { name: 'backup holds a VIP on qg-', cloud: mutate('ha', (c) => devOf(c, 'net2', QROUTER, DEV.qg).addresses.push(addr(`${GW_IP}/24`))), findings: [{ verdict: 'fail', subject: SUBJ }] },
    { name: 'API HA state disagrees (warn by default)', cloud: staleApi, findings: [{ verdict: 'warn', subject: SUBJ }] },
    { name: 'API HA state disagrees (strict)', cloud: staleApi, params: { strictFactsHaState: true }, findings: [{ verdict: 'fail', subject: SUBJ }] },
  ],
};

runCheckCases(cases);

describe('check l3ha-single-primary: stale API state finding', () => {
  it('the facts are the expectation, the data plane is what was found (issue 15)', () => {
    const f = check.evaluate(contextOf({ name: 'stale', cloud: staleApi })).findings[0]!;
    expect(f.expected).to.equal('facts HA state: net1=standby, net2=active');
    expect(f.actual).to.match(/^primary on net1 /);
  });
});
