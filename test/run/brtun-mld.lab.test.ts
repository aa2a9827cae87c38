import { describeBugFaults } from './bugs-suite';

/**
 * §7 row 13 (lp#1859832, issue 12 follow-up): the lp1859832 fault (a backup's qg- with IPv6 live
 * and addr_gen_mode=0, the kernel makes its link-local address and sends DAD/MLD from the shared
 * MAC) must be caught by a plain `haprobe run`, not only by `garp watch`: check l3ha-backup-ipv6 on
 * the backup's node and qg-. The healthy run first also proves ovs-tunnel-stale-mac does not fire on
 * a lab without tunnels (it skips, saying so). Row 14 needs tunnels: the real engine
 * (test/lab/neutron-engine.lab.test.ts, fault lp2123911).
 */
describeBugFaults('haprobe run against IPv6 on a backup qg- (l3ha) @lab', {
  profile: 'neutron-l3ha',
  stateDir: '/var/tmp/haprobe-runtest-brtun-mld',
  variant: {},
  faults: {
    lp1859832: /of backup .* has IPv6 fe80::.*shared MAC .*lp#1859832/,
  },
});
