import { leadingRelease, releaseOrder, RELEASES, type ReleaseName } from '../../src/model/releases';

/**
 * Release eras for the checks. The release names, their spellings, `master` and their order
 * live in src/model/releases.ts (issue 14); this file only places families on that order.
 * Profiles and facts name a release family like "pike+", "newton", "2023.1+"; only the first
 * release name matters for ordering (leadingRelease).
 */
/** index into RELEASES, or undefined for an unknown / absent family */
export function releaseIndex(family: string | undefined): number | undefined {
  const name = leadingRelease(family);
  return name === undefined ? undefined : releaseOrder(name);
}

/** true when family is known and at least `release`; undefined when family is unknown */
export function releaseAtLeast(family: string | undefined, release: ReleaseName): boolean | undefined {
  const i = releaseIndex(family);
  return i === undefined ? undefined : i >= releaseOrder(release);
}

/** release family for a check: facts.release (what the cloud runs) wins over the profile's default */
export function releaseOf(params: Record<string, unknown>, factsRelease?: string): string | undefined {
  return factsRelease ?? (typeof params['release'] === 'string' ? (params['release'] as string) : undefined);
}

/*
 * Release eras: every rule that depends on the neutron release lives here, once (STYLE.md "one home
 * per domain rule"). Each answers true / false for a release it can place, and undefined when the
 * release is unknown or sits on the edge (a backport makes both forms real): the caller then
 * accepts both forms, or says `skip`/`warn` with the reason. Unknown is never read as "newest".
 * The lab keeps its own copy of these templates on purpose (an independent oracle).
 */

/** true: family is at least `from` and (when given) before `until`; undefined when unknown */
function inEra(family: string | undefined, from: ReleaseName, until?: ReleaseName): boolean | undefined {
  const i = releaseIndex(family);
  if (i === undefined) return undefined;
  // an open family ("kilo+") spans every later release: it straddles any era edge above its start
  const open = family?.trim().endsWith('+') === true;
  if (i < releaseOrder(from)) return open ? undefined : false;
  if (until === undefined) return true;
  if (i >= releaseOrder(until)) return false;
  return open ? undefined : true;
}

/** how a release is named in messages */
export function releaseLabel(family: string | undefined): string {
  return family ?? 'unknown (set `release` in the facts or the profile)';
}

/**
 * DVR floating IPs are routed only — no FIP /32 on rfp-, PREROUTING DNAT bound to `-i rfp-`, no
 * OUTPUT DNAT — since Newton (`a388f78c8c`; Mitaka 8.3 backport `fcb12b5c27`, bug 1462154,
 * ground-truth §3b/§3c). Kilo/Liberty: FIP /32 on rfp- and DNAT without `-i` (plus OUTPUT DNAT).
 * undefined: Mitaka (both forms exist) or unknown release.
 */
export function dvrFipsRoutedOnly(family: string | undefined): boolean | undefined {
  if (releaseIndex(family) === releaseOrder('mitaka')) return undefined;
  return inEra(family, 'newton');
}

/**
 * The HA primary VIP is 169.254.0.<vrid>/24 on ha- since Kilo; on Juno keepalived's
 * virtual_ipaddress holds the router's own gateway address on qg- (ground-truth §2b; Assaf
 * Muller's Juno keepalived.conf). undefined: unknown release.
 */
export function haPrimaryVipLinkLocal(family: string | undefined): boolean | undefined {
  return inEra(family, 'kilo');
}

/**
 * G-ARP lines neutron renders in keepalived.conf (ground-truth §2e/2f version table):
 * 'none' Juno/Kilo GA (keepalived defaults), 'repeat-refresh' Liberty (`garp_master_repeat 5`,
 * `garp_master_refresh 10`, bug 1453855 — the periodic G-ARPs of LP 1520517), 'delay' Mitaka+
 * (`garp_master_delay 60`, backported to the Juno/Kilo/Liberty stable branches).
 * Returns every template a release may carry; undefined = unknown release.
 */
export type GarpTemplate = 'none' | 'repeat-refresh' | 'delay';
export function keepalivedGarpTemplates(family: string | undefined): GarpTemplate[] | undefined {
  const i = releaseIndex(family);
  if (i === undefined) return undefined;
  if (i >= releaseOrder('mitaka')) return ['delay'];
  if (i === releaseOrder('liberty')) return ['repeat-refresh', 'delay'];
  return ['none', 'delay'];
}

/**
 * neutron-keepalived-state-change sends the §0.7 arping for every address keepalived adds, so
 * G-ARPs on FIP association do not depend on keepalived ≥ 1.2.20 (lp#1639315): Ocata
 * (`4fdd89e94f`, backported to stable/mitaka and stable/newton) until Wallaby (`8e06d1d1eb`).
 * 'yes' Ocata–Victoria, 'backport' Mitaka/Newton (only with the stable backport), 'no' otherwise;
 * undefined when unknown. Train had the daemon's arping silently not run until the Ussuri fix
 * (lp#1870313, ground-truth §7 #2, start inferred) — callers mention it.
 */
export function stateChangeDaemonGarps(family: string | undefined): 'yes' | 'backport' | 'no' | undefined {
  const i = releaseIndex(family);
  if (i === undefined) return undefined;
  if (i === releaseOrder('mitaka') || i === releaseOrder('newton')) return 'backport';
  const era = inEra(family, 'ocata', 'wallaby');
  return era === undefined ? undefined : era ? 'yes' : 'no';
}

/** Train: the state-change daemon's arping never ran (lp#1870313) */
export function stateChangeGarpBroken(family: string | undefined): boolean {
  return releaseIndex(family) === releaseOrder('train');
}

/** arp_ignore=1 / arp_announce=2 in router namespaces since Pike (`0f076cfc2d`, lp#1692007) */
export function routerArpSysctls(family: string | undefined): boolean | undefined {
  return inEra(family, 'pike');
}

/**
 * ip_nonlocal_bind in HA (qrouter / DVR-HA snat) namespaces (ground-truth §2b): '1' since 2023.1
 * (`25ec6e7e4f`), '0' Ocata–Zed (`4fdd89e94f`); undefined before Ocata, for an open family
 * spanning 2023.1 ("pike+"), or unknown.
 */
export function haNonlocalBind(family: string | undefined): '0' | '1' | undefined {
  const modern = inEra(family, '2023.1');
  if (modern === true) return '1';
  const mid = inEra(family, 'ocata', '2023.1');
  return mid === true ? '0' : undefined;
}

/**
 * Gateway SNAT with `--random-fully` (Train `30f35e08f9`, bug 1814002, backported to stable
 * branches; only where iptables ≥ 1.6.2 knows the option): true from Train, false before Rocky,
 * undefined for Rocky/Stein (backports), an open family spanning Train ("pike+") or unknown.
 */
export function natRandomFully(family: string | undefined): boolean | undefined {
  if (inEra(family, 'train') === true) return true;
  // from the oldest known release: no neutron rendered the option before Rocky
  if (inEra(family, RELEASES[0], 'rocky') === true) return false;
  return undefined;
}

/**
 * proxy_delay of fg- set to 1 by the agent (2023.1 `d7f68a0ce7`, bug 1920975) instead of the kernel
 * default 80 (a random delay up to 800 ms before each proxy ARP answer): true from 2023.1, false
 * before, undefined for an open family spanning 2023.1 or an unknown release.
 */
export function fgProxyDelaySet(family: string | undefined): boolean | undefined {
  return inEra(family, '2023.1');
}
