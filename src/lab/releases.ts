/**
 * What each neutron release renders, as the lab builds it (`lab up --release`).
 *
 * The lab keeps its OWN copy of these rules on purpose (STYLE.md "one home per domain rule"):
 * it is the independent oracle the checks are tested against, so it is written from
 * ground-truth.md (§0.7 G-ARP senders, §1c/§3c iptables, §2e/2e' keepalived and state file,
 * §3b DVR rfp-), never imported from checks/lib. Where the two disagree, one of them is wrong.
 */
export const LAB_RELEASES = ['juno', 'mitaka', 'pike', 'train', '2024.1'] as const;
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
