import { describeBugFaults } from './bugs-suite';

/**
 * Faults named after the real bugs of ground-truth §7 on the L3 HA data plane (issue 12), on one
 * l3ha lab with --extras (lp1823314 needs a second HA router on the HA network) rendering release
 * 2024.1, so the Train-era rule forms (lp1814002, lp1834825) are judged, not only noted.
 */
describeBugFaults('haprobe run against lab faults named after real bugs (l3ha 2024.1 --extras) @lab', {
  profile: 'neutron-l3ha',
  stateDir: '/var/tmp/haprobe-runtest-bugs',
  variant: { extras: true, release: '2024.1' },
  faults: {
    'missing-garp': /still points floating IP .* not its owner/,
    lp1870313: /still points floating IP .* not its owner/,
    lp1273386: /still points floating IP .* not its owner/,
    'wrong-sender-garp': /still points floating IP .* not its owner/,
    'split-brain': /split brain: HA router .* is primary on/,
    lp1453855: /G-ARP lines differ .*lp#1453855/,
    lp1520517: /garp_master_refresh set/,
    // lp1647432 (§7 #8) runs in bugs-pike.lab.test.ts: it needs keepalived 1.2.13 and a conf that version reads
    lp1823314: /virtual_router_id \d+ is used by routers .* on HA network/,
    lp1837635: /split brain: the L3 agents report HA router .* active on/,
    lp1818614: /holds the primary VIP but its state file says backup/,
    lp1874211: /has no primary on \d+ replica/,
    'dead-backup-keepalived': /is not redundant: keepalived is not running/,
    // issue 12: liveness by command line and process state, not only `kill -0` on the pid file
    'reused-pid-keepalived': /is not redundant: keepalived is not running/,
    'stopped-backup-keepalived': /is not redundant: keepalived is not running/,
    lp1692007: /arp_ignore is 0/,
    lp1834825: /never matches under iptables-nft.*lp#1834825/,
    lp1814002: /lacks --random-fully.*lp#1814002/,
  },
});
