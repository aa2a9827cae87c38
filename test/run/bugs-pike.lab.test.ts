import { describeBugFaults } from './bugs-suite';

/**
 * §7 row #8 (lp#1647432, issue 12): the SIGHUP storm. keepalived 2.2.7 (Debian's) survives it, so
 * the fault runs the router on keepalived 1.2.13 (scripts/build-keepalived-1.2.sh), which reads the
 * keepalived.conf of a Pike-era agent (no no_track, no `protocol static`): one l3ha lab rendering pike.
 */
describeBugFaults('haprobe run against the SIGHUP storm on keepalived 1.2.13 (l3ha pike) @lab', {
  profile: 'neutron-l3ha',
  stateDir: '/var/tmp/haprobe-runtest-bugs-pike',
  variant: { release: 'pike' },
  faults: {
    lp1647432: /split brain: HA router .* is primary on/,
  },
});
