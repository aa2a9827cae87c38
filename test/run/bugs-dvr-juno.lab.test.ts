import { describeBugFaults } from './bugs-suite';

/**
 * §7 row #26 (lp#1562110, issue 12): the DVR link-local pool is exhausted. Only the pre-Newton
 * pool (FIP_LL_SUBNET 169.254.30.0/23, 256 /31 pairs) can be filled on the lab, so this suite
 * brings up neutron-dvr rendering release juno, whose rfp-/fpr- pair sits in that pool.
 */
describeBugFaults('haprobe run against the DVR link-local pool fault (dvr juno) @lab', {
  profile: 'neutron-dvr',
  stateDir: '/var/tmp/haprobe-runtest-bugs-dvr-juno',
  variant: { release: 'juno' },
  faults: {
    lp1562110: /DVR link-local pool 169\.254\.30\.0\/23 on \S+ is exhausted: 256 of 256 \/31 pairs in use.*lp#1562110/,
  },
});
