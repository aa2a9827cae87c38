import { describeBugFaults } from './bugs-suite';

/**
 * Faults named after the real DVR bugs of ground-truth §7 (issue 12): #15–#23 and #25 on one
 * neutron-dvr-snat-ha lab (DVR computes with fip namespaces, snat- under keepalived) rendering
 * release 2024.1, where proxy_delay 1 on fg- and routed-only FIPs are the template.
 */
describeBugFaults('haprobe run against lab faults named after real DVR bugs (dvr-snat-ha 2024.1) @lab', {
  profile: 'neutron-dvr-snat-ha',
  stateDir: '/var/tmp/haprobe-runtest-bugs-dvr',
  variant: { release: '2024.1' },
  faults: {
    lp1816698: /has 2 ha- devices \(lp#1816698\)/,
    lp1462154: /is not bound to -i rfp-/,
    lp1675187: /configured as an address on rfp-/,
    lp1776984: /lacks its (fpr|rfp)-\S+ veth end \(lp#1776984\)/,
    lp1597561: /has 2 fg- devices \(lp#1597561\)/,
    lp1566383: /do not share a \/31 .*lp#1566383/,
    lp1482521: /fip-\S+ is missing on/,
    lp1891673: /stale policy rule "from \S+ lookup 16".*lp#1891673/,
    lp1778643: /dead VLAN 4095/,
    lp1774459: /PERMANENT neighbour 10\.0\.0\.50 .*allowed-address-pair VIP.*lp#1774459/,
    lp1920975: /proxy_delay is 80 on fg-.*lp#1920975/,
    lp1814002: /lacks --random-fully.*lp#1814002/,
    lp1834825: /never matches under iptables-nft.*lp#1834825/,
    lp1692007: /arp_ignore is 0/,
  },
});
