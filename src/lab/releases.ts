/**
 * What each neutron release renders, as the lab builds it (`lab up --release`).
 *
 * The lab keeps its OWN copy of these rules on purpose (STYLE.md "one home per domain rule"):
 * it is the independent oracle the checks are tested against, so it is written from
 * ground-truth.md (§0.7 G-ARP senders, §1c/§3c iptables, §2e/2e' keepalived and state file,
 * §3b DVR rfp-), never imported from checks/lib. Where the two disagree, one of them is wrong.
 */
export const LAB_RELEASES = ['juno', 'mitaka', 'pike', 'train', 'zed', '2024.1'] as const;
export type LabReleaseId = (typeof LAB_RELEASES)[number];

/** the default lab (no --release): the one mixed-era neutron the lab always rendered */
export const DEFAULT_RELEASE = 'pike+';

/** how the L3 agent sends G-ARPs for legacy/DVR addresses (ground-truth §0.7) */
export type AgentGarp =
  /** Juno: one `arping -A -I dev -c 3 IP` (3 REPLYs 1 s apart) */
  | 'juno'
  /** Kilo–Newton: `arping -A -I dev -c 3 -w 4.5 IP` (-w 5 here: this arping takes integers only) */
  | 'kilo-newton'
  /** Pike+: 3 rounds 2 s apart of `arping -U … -c 1 -w 2` then `arping -A … -c 1 -w 2` */
  | 'pike+';

export interface ReleaseRules {
  /** value written to facts.json `release` */
  id: string;
  /** keepalived.conf shape: Juno's sync group with notify scripts and the gateway as primary VIP,
   *  or the Kilo+ template with the 169.254.0.<vrid> primary VIP on ha- (§2e) */
  keepalivedTemplate: 'juno' | 'kilo+';
  /** `garp_master_delay 60` (Mitaka+, bug 1520517) */
  garpMasterDelay: boolean;
  /** `no_track` on excluded VIPs and routes (Ussuri–2023.1, again 2025.1+) */
  noTrack: boolean;
  /** `protocol static` on virtual routes */
  routeProtocolStatic: boolean;
  /** word in ha_confs/<router>/state for the primary: `master` (Kilo–Ussuri, Juno's notify
   *  scripts), `primary` (Victoria+) */
  primaryWord: 'master' | 'primary';
  agentGarp: AgentGarp;
  /** neutron-keepalived-state-change arpings every address keepalived adds (Ocata–Victoria, §2e'') */
  stateChangeArping: boolean;
  /** DVR before Newton: FIP /32 on rfp-, DNAT without `-i rfp-`, OUTPUT DNAT too (bug 1462154) */
  dvrFipOnRfp: boolean;
  /** DVR rfp-/fpr- /31 pair: 169.254.30.0/23 (Juno/Kilo FIP_LL_SUBNET) or 169.254.64.0/18 */
  rfpPair: [string, string];
  /** SNAT rules carry --random-fully (Train+, `30f35e08f9`) */
  randomFully: boolean;
  /** POSTROUTING accept rule is `! -i qg- ! -o qg- …` (until Train, bug 1834825) */
  postroutingWithIn: boolean;
  /** HA qrouter namespace has net.ipv4.ip_nonlocal_bind=1: 0 from Ocata (`4fdd89e94f`) until
   *  2023.1 (`25ec6e7e4f`), 1 before and after (ground-truth §2b) */
  haNonlocalBind: boolean;
  /**
   * What the real-Neutron engine (Debian 12's Zed, issue 16, docs/real-engine.md "What real
   * neutron does") showed that the lab's other templates do not render; absent = the older shape.
   * Only the `zed` variant sets it (docs/zed-variant.md).
   */
  real?: RealShape;
}

/** one switch per difference found on the real engine (docs/real-engine.md table, rows named) */
export interface RealShape {
  /** row 9: VRIDs drawn at random in 1..254 (l3_hamode_db), ha- addresses random in 169.254.192.0/18 */
  randomVrid: true;
  /** row 9: IPv6 on in HA namespaces with addr_gen_mode=1 (bug 1952907): the fe80:: of qr-/qg- are
   *  excluded VIPs even on IPv4-only subnets, so a backup's qr-/qg- carry no address at all */
  linkLocalVips: true;
  /** row 5: neutron never sets br-ex up */
  brExDown: true;
  /** qg-/fg- on br-int (bridge_mappings extnet:br-ex: br-ex reached over int-br-ex/phy-br-ex patches) */
  qgOnBrInt: true;
  /** row 4: the dvr_snat node gets its own fg- port and fip namespace */
  fgOnSnatNode: true;
  /** row 11: address-scope marks (mangle `scope` 0x4000000/0xffff0000 per port, filter `scope` DROPs on
   *  internal ports) and the mangle POSTROUTING CONNMARK save on qg- */
  addressScopeMarks: true;
  /** row 10: the L3 agent's ProcessMonitor respawns a dead keepalived (check_child_processes_interval 60 s) */
  respawnKeepalived: true;
}

const NEW_LL: [string, string] = ['169.254.64.2', '169.254.64.3'];

export const RELEASE_RULES: Record<LabReleaseId | typeof DEFAULT_RELEASE, ReleaseRules> = {
  juno: {
    id: 'juno', keepalivedTemplate: 'juno', garpMasterDelay: false, noTrack: false, routeProtocolStatic: false,
    primaryWord: 'master', agentGarp: 'juno', stateChangeArping: false, dvrFipOnRfp: true,
    rfpPair: ['169.254.31.28', '169.254.31.29'], randomFully: false, postroutingWithIn: true, haNonlocalBind: true,
  },
  mitaka: {
    id: 'mitaka', keepalivedTemplate: 'kilo+', garpMasterDelay: true, noTrack: false, routeProtocolStatic: false,
    primaryWord: 'master', agentGarp: 'kilo-newton', stateChangeArping: false, dvrFipOnRfp: true,
    rfpPair: NEW_LL, randomFully: false, postroutingWithIn: true, haNonlocalBind: true,
  },
  pike: {
    id: 'pike', keepalivedTemplate: 'kilo+', garpMasterDelay: true, noTrack: false, routeProtocolStatic: false,
    primaryWord: 'master', agentGarp: 'pike+', stateChangeArping: true, dvrFipOnRfp: false,
    rfpPair: NEW_LL, randomFully: false, postroutingWithIn: true, haNonlocalBind: false,
  },
  train: {
    // Train's state-change daemon ran on plain threads and silently sent nothing (bug 1870313)
    id: 'train', keepalivedTemplate: 'kilo+', garpMasterDelay: true, noTrack: false, routeProtocolStatic: false,
    primaryWord: 'master', agentGarp: 'pike+', stateChangeArping: false, dvrFipOnRfp: false,
    rfpPair: NEW_LL, randomFully: true, postroutingWithIn: false, haNonlocalBind: false,
  },
  '2024.1': {
    // no_track removed and every interface tracked in 2023.2–2024.2 (bee07defac; back in 2025.1)
    id: '2024.1', keepalivedTemplate: 'kilo+', garpMasterDelay: true, noTrack: false, routeProtocolStatic: true,
    primaryWord: 'primary', agentGarp: 'pike+', stateChangeArping: false, dvrFipOnRfp: false,
    rfpPair: NEW_LL, randomFully: true, postroutingWithIn: false, haNonlocalBind: true,
  },
  zed: {
    // Debian 12's neutron 21 as the real engine runs it (issue 16): Victoria+ `primary`, no_track
    // (Ussuri–2023.1), ip_nonlocal_bind 0 (Ocata–2022.2), no state-change arping (Wallaby+)
    id: 'zed', keepalivedTemplate: 'kilo+', garpMasterDelay: true, noTrack: true, routeProtocolStatic: false,
    primaryWord: 'primary', agentGarp: 'pike+', stateChangeArping: false, dvrFipOnRfp: false,
    rfpPair: NEW_LL, randomFully: true, postroutingWithIn: false, haNonlocalBind: false,
    real: { randomVrid: true, linkLocalVips: true, brExDown: true, qgOnBrInt: true, fgOnSnatNode: true, addressScopeMarks: true, respawnKeepalived: true },
  },
  // the lab's historical mixed era: master template (no_track, `primary`, --random-fully), qg- on br-ex
  'pike+': {
    id: 'pike+', keepalivedTemplate: 'kilo+', garpMasterDelay: true, noTrack: true, routeProtocolStatic: true,
    primaryWord: 'primary', agentGarp: 'pike+', stateChangeArping: false, dvrFipOnRfp: false,
    rfpPair: NEW_LL, randomFully: true, postroutingWithIn: false, haNonlocalBind: true,
  },
};

export function isLabRelease(s: string): s is LabReleaseId {
  return (LAB_RELEASES as readonly string[]).includes(s);
}

export function rulesOf(release: string): ReleaseRules {
  return RELEASE_RULES[release as LabReleaseId] ?? RELEASE_RULES[DEFAULT_RELEASE];
}
