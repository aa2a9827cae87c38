import { check } from '../../checks/l3ha-backup-ipv6';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { brtunCloud, BRTUN_ROUTER } from './fixtures/brtun';
import { buildCloud, DEV, R, SNAT, type Cloud } from './fixtures/cloud';

/** DVR SNAT HA: the backup (net2) snat- namespace's sg- (the router's tenant port, shared MAC) with a link-local address */
function dvrHaBackupSgWithIpv6(): Cloud {
  const cloud = buildCloud('dvr-ha');
  const sg = cloud.snapshot.nodes.find((n) => n.node === 'net2')!.namespaces.find((n) => n.name === SNAT)!.devices.find((d) => d.name === DEV.sg)!;
  sg.addresses.push({ family: 'inet6', address: 'fe80::f816:3eff:fe00:53', prefixLen: 64, scope: 'link' });
  return cloud;
}

/**
 * DVR SNAT HA as real neutron Zed builds the snat- namespace (real engine, 2026-12-01): IPv6 on,
 * addr_gen_mode 0 on every device, the backup's qg-/sg- flushed (their link-local addresses are
 * keepalived VIPs of the primary)
 */
function dvrHaZedSnatSysctls(): Cloud {
  const cloud = buildCloud('dvr-ha');
  for (const n of cloud.snapshot.nodes)
    for (const ns of n.namespaces.filter((x) => x.name === SNAT))
      for (const d of [DEV.qg, DEV.sg]) Object.assign(ns.sysctls, { [`net.ipv6.conf.${d}.disable_ipv6`]: '0', [`net.ipv6.conf.${d}.addr_gen_mode`]: '0' });
  return cloud;
}

/** §7 row 13 (lp#1859832) on the real-Neutron engine's outputs (more in brtun-and-mld.test.ts) */
const NS = `qrouter-${BRTUN_ROUTER}`;
export const cases: CheckCases = {
  check,
  valid: [
    { name: 'real engine (Zed): the backup\'s qg-/qr- have IPv6 on, addr_gen_mode=1, no address', cloud: brtunCloud('healthy') },
    { name: 'same, without facts', cloud: brtunCloud('healthy'), withFacts: false },
    { name: 'synthetic healthy l3ha cloud (no IPv6 sysctls collected: judged on addresses)', cloud: buildCloud('ha') },
    { name: 'synthetic healthy DVR SNAT HA cloud: the backup snat-\'s qg- and sg- have no IPv6', cloud: buildCloud('dvr-ha') },
    { name: 'DVR SNAT HA as Zed builds it: snat- addr_gen_mode 0, the backup\'s qg-/sg- flushed — no finding (the release\'s own build)', cloud: dvrHaZedSnatSysctls() },
  ],
  invalid: [
    {
      name: 'backup net1\'s qg- made fe80::f816:3eff:fe65:6ca (addr_gen_mode=0): fail',
      cloud: brtunCloud('healthy', { net1: 'v6leak-net1.txt' }),
      findings: [{ verdict: 'fail', subject: { node: 'net1', namespace: NS, router: BRTUN_ROUTER, device: 'qg-e262a036-16' } }],
    },
    {
      name: 'IPv6 on with addr_gen_mode=0, no address yet: warn',
      cloud: brtunCloud('healthy', {
        net1: 'v6leak-net1.txt',
        mutate: (nodes) => {
          const qg = nodes[0]!.namespaces.find((n) => n.name === NS)!.devices.find((d) => d.name === 'qg-e262a036-16')!;
          qg.addresses = qg.addresses.filter((a) => a.family !== 'inet6');
        },
      }),
      findings: [{ verdict: 'warn', subject: { node: 'net1', namespace: NS, router: BRTUN_ROUTER, device: 'qg-e262a036-16' } }],
    },
    {
      name: 'DVR SNAT HA: the backup snat-\'s sg- holds a link-local address (MLD/DAD from the router\'s tenant-port MAC): fail',
      cloud: dvrHaBackupSgWithIpv6(),
      findings: [{ verdict: 'fail', subject: { node: 'net2', namespace: SNAT, router: R, device: DEV.sg } }],
    },
  ],
};

runCheckCases(cases);
