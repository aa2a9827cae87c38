/**
 * iptables-restore input for one neutron namespace, in the L3 agent's templates
 * (ground-truth §0.5 naming, §1c legacy/HA, §3c DVR). Restored atomically with
 * `iptables-restore` inside the namespace, so `iptables-save` there reads like a
 * real router's.
 */
export interface NsIptablesInput {
  /** legacy/HA qrouter, DVR qrouter (compute or dvr_snat), DVR snat ns, DVR fip ns */
  kind: 'qrouter' | 'dvr-qrouter' | 'snat' | 'fip';
  /** qg- device (qrouter legacy/HA, snat) */
  qg?: string;
  /** rfp- device (DVR qrouter on a host with a fip namespace) */
  rfp?: string;
  gwIp?: string;
  /** internal router ports of the namespace (qr-, sg-): address-scope marks (Zed as really built) */
  internal?: string[];
  /** floating IPs NATed in this namespace */
  fips: { ip: string; fixed: string }[];
  /** release-dependent rule forms (default: the lab's mixed era) */
  era?: IptablesEra;
}

/** the parts of ReleaseRules that change iptables (src/lab/releases.ts) */
export interface IptablesEra {
  randomFully: boolean;
  postroutingWithIn: boolean;
  /** DVR before Newton: DNAT without -i rfp-, OUTPUT DNAT as in legacy routers */
  dvrFipOnRfp: boolean;
  /**
   * Zed as really built (docs/real-engine.md row 11): the address-scope marks of every port
   * (mangle `scope`: -i dev → 0x4000000/0xffff0000; filter `scope`: DROP what leaves an internal
   * port without it) and the mangle POSTROUTING CONNMARK save on qg- (router_info address scopes)
   */
  addressScopeMarks?: boolean;
}

/** IptablesEra of a release's rules (`real` carries the real engine's extra shapes) */
export function iptablesEraOf(rules: { randomFully: boolean; postroutingWithIn: boolean; dvrFipOnRfp: boolean; real?: { addressScopeMarks: boolean } }): IptablesEra {
  return { randomFully: rules.randomFully, postroutingWithIn: rules.postroutingWithIn, dvrFipOnRfp: rules.dvrFipOnRfp,
    addressScopeMarks: rules.real?.addressScopeMarks === true };
}

const SCOPE_MARK = '0x4000000/0xffff0000';

const DEFAULT_ERA: IptablesEra = { randomFully: true, postroutingWithIn: false, dvrFipOnRfp: false };

/** POSTROUTING accept of traffic not leaving by `dev` (`! -i dev` too until Train, bug 1834825) */
function postroutingAccept(dev: string, era: IptablesEra): string {
  return `-A ${W}-POSTROUTING ${era.postroutingWithIn ? `! -i ${dev} ` : ''}! -o ${dev} -m conntrack ! --ctstate DNAT -j ACCEPT`;
}

const W = 'neutron-l3-agent';
/** neutron defaults: metadata_access_mark 0x1, external_ingress_mark 0x2 (ground-truth §1c) */
const META_MARK = '0x1/0xffff';
const EXT_MARK = '0x2/0xffff';

function chains(names: string[]): string[] {
  return names.map((n) => `:${n} - [0:0]`);
}

function builtins(names: string[]): string[] {
  return names.map((n) => `:${n} ACCEPT [0:0]`);
}

function renderFilter(input: NsIptablesInput): string[] {
  const own = ['FORWARD', 'INPUT', 'OUTPUT', 'local', 'scope'].map((c) => `${W}-${c}`);
  const lines = ['*filter', ...builtins(['INPUT', 'FORWARD', 'OUTPUT']), ':neutron-filter-top - [0:0]', ...chains(own)];
  lines.push(
    `-A INPUT -j ${W}-INPUT`,
    `-A FORWARD -j neutron-filter-top`,
    `-A FORWARD -j ${W}-FORWARD`,
    `-A OUTPUT -j neutron-filter-top`,
    `-A OUTPUT -j ${W}-OUTPUT`,
    `-A neutron-filter-top -j ${W}-local`,
    `-A ${W}-FORWARD -j ${W}-scope`,
  );
  if (input.kind === 'qrouter' || input.kind === 'dvr-qrouter') {
    // metadata_filter_rules (neutron/agent/metadata/driver.py)
    lines.push(`-A ${W}-INPUT -m mark --mark ${META_MARK} -j ACCEPT`, `-A ${W}-INPUT -p tcp -m tcp --dport 9697 -j DROP`);
  }
  if (input.era?.addressScopeMarks) {
    for (const d of [...(input.internal ?? []), ...(input.kind === 'dvr-qrouter' && input.rfp ? [input.rfp] : [])]) {
      lines.push(`-A ${W}-scope -o ${d} -m mark ! --mark ${SCOPE_MARK} -j DROP`);
    }
  }
  lines.push('COMMIT');
  return lines;
}

function renderMangle(input: NsIptablesInput): string[] {
  const own = ['FORWARD', 'INPUT', 'OUTPUT', 'POSTROUTING', 'PREROUTING', 'float-snat', 'floatingip', 'mark', 'scope'].map(
    (c) => `${W}-${c}`,
  );
  const lines = ['*mangle', ...builtins(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']), ...chains(own)];
  lines.push(
    `-A PREROUTING -j ${W}-PREROUTING`,
    `-A INPUT -j ${W}-INPUT`,
    `-A FORWARD -j ${W}-FORWARD`,
    `-A OUTPUT -j ${W}-OUTPUT`,
    `-A POSTROUTING -j ${W}-POSTROUTING`,
    `-A ${W}-PREROUTING -j ${W}-mark`,
    `-A ${W}-PREROUTING -j ${W}-scope`,
    `-A ${W}-PREROUTING -m connmark ! --mark 0x0/0xffff0000 -j CONNMARK --restore-mark --nfmask 0xffff0000 --ctmask 0xffff0000`,
    `-A ${W}-PREROUTING -j ${W}-floatingip`,
  );
  if (input.kind === 'qrouter' || input.kind === 'dvr-qrouter') {
    lines.push(`-A ${W}-PREROUTING -d 169.254.169.254/32 -i qr-+ -p tcp -m tcp --dport 80 -j MARK --set-xmark ${META_MARK}`);
  }
  lines.push(`-A ${W}-float-snat -m connmark --mark 0x0/0xffff0000 -j CONNMARK --save-mark --nfmask 0xffff0000 --ctmask 0xffff0000`);
  if (input.qg && (input.kind === 'qrouter' || input.kind === 'snat')) {
    lines.push(`-A ${W}-mark -i ${input.qg} -j MARK --set-xmark ${EXT_MARK}`);
  }
  if (input.era?.addressScopeMarks) {
    const ext = input.kind === 'dvr-qrouter' ? input.rfp : input.qg;
    for (const d of [...(input.internal ?? []), ...(ext ? [ext] : [])]) lines.push(`-A ${W}-scope -i ${d} -j MARK --set-xmark ${SCOPE_MARK}`);
    if (input.qg && (input.kind === 'qrouter' || input.kind === 'snat')) {
      lines.push(`-A ${W}-POSTROUTING -o ${input.qg} -m connmark --mark 0x0/0xffff0000 -j CONNMARK --save-mark --nfmask 0xffff0000 --ctmask 0xffff0000`);
    }
  }
  if (input.kind === 'dvr-qrouter' && input.rfp) {
    for (const f of input.fips) {
      lines.push(`-A ${W}-FORWARD -s ${f.fixed}/32 -j ${W}-float-snat`);
      lines.push(`-A ${W}-floatingip -d ${f.ip}/32 -i ${input.rfp} -j MARK --set-xmark 0x4000000/0xffff0000`);
    }
  }
  lines.push('COMMIT');
  return lines;
}

function renderNat(input: NsIptablesInput): string[] {
  const era = input.era ?? DEFAULT_ERA;
  const rf = era.randomFully ? ' --random-fully' : '';
  const own = ['OUTPUT', 'POSTROUTING', 'PREROUTING', 'float-snat', 'snat'].map((c) => `${W}-${c}`);
  const lines = ['*nat', ...builtins(['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING']), ...chains(own), ':neutron-postrouting-bottom - [0:0]'];
  lines.push(
    `-A PREROUTING -j ${W}-PREROUTING`,
    `-A OUTPUT -j ${W}-OUTPUT`,
    `-A POSTROUTING -j ${W}-POSTROUTING`,
    `-A POSTROUTING -j neutron-postrouting-bottom`,
  );
  const rules: string[] = [];
  if (input.kind === 'qrouter' || input.kind === 'snat') {
    for (const f of input.fips) rules.push(`-A ${W}-OUTPUT -d ${f.ip}/32 -j DNAT --to-destination ${f.fixed}`);
    if (input.qg) rules.push(postroutingAccept(input.qg, era));
  }
  if (input.kind === 'dvr-qrouter' && input.rfp && era.dvrFipOnRfp) {
    for (const f of input.fips) rules.push(`-A ${W}-OUTPUT -d ${f.ip}/32 -j DNAT --to-destination ${f.fixed}`);
  }
  if (input.kind === 'qrouter' || input.kind === 'dvr-qrouter') {
    rules.push(`-A ${W}-PREROUTING -d 169.254.169.254/32 -i qr-+ -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 9697`);
  }
  if (input.kind === 'qrouter' || input.kind === 'snat') {
    for (const f of input.fips) rules.push(`-A ${W}-PREROUTING -d ${f.ip}/32 -j DNAT --to-destination ${f.fixed}`);
    for (const f of input.fips) rules.push(`-A ${W}-float-snat -s ${f.fixed}/32 -j SNAT --to-source ${f.ip}${rf}`);
    rules.push(`-A ${W}-snat -j ${W}-float-snat`);
    if (input.qg && input.gwIp) {
      rules.push(`-A ${W}-snat -o ${input.qg} -j SNAT --to-source ${input.gwIp}${rf}`);
      rules.push(
        `-A ${W}-snat -m mark ! --mark ${EXT_MARK} -m conntrack --ctstate DNAT -j SNAT --to-source ${input.gwIp}${rf}`,
      );
    }
  }
  if (input.kind === 'dvr-qrouter' && input.rfp && input.fips.length > 0) {
    // dvr_local_router: DNAT bound to -i rfp-, no OUTPUT DNAT (Newton+, bug 1462154); before, the
    // legacy form (no -i) with the FIP /32 on rfp-
    const iif = era.dvrFipOnRfp ? '' : ` -i ${input.rfp}`;
    for (const f of input.fips) rules.push(`-A ${W}-PREROUTING -d ${f.ip}/32${iif} -j DNAT --to-destination ${f.fixed}`);
    rules.push(postroutingAccept(input.rfp, era));
    for (const f of input.fips) rules.push(`-A ${W}-float-snat -s ${f.fixed}/32 -j SNAT --to-source ${f.ip}${rf}`);
    rules.push(`-A ${W}-snat -j ${W}-float-snat`);
  }
  lines.push(...rules);
  if (input.kind !== 'fip') {
    lines.push(`-A neutron-postrouting-bottom -m comment --comment "Perform source NAT on outgoing traffic." -j ${W}-snat`);
  }
  lines.push('COMMIT');
  return lines;
}

function renderRaw(input: NsIptablesInput): string[] {
  const lines = ['*raw', ...builtins(['PREROUTING', 'OUTPUT']), ...chains([`${W}-OUTPUT`, `${W}-PREROUTING`])];
  lines.push(`-A PREROUTING -j ${W}-PREROUTING`, `-A OUTPUT -j ${W}-OUTPUT`);
  // fip namespace: no conntrack (ground-truth §3b)
  if (input.kind === 'fip') lines.push(`-A ${W}-PREROUTING -j CT --notrack`);
  lines.push('COMMIT');
  return lines;
}

/** full iptables-restore text for the namespace */
export function renderNsIptables(input: NsIptablesInput): string {
  return [...renderRaw(input), ...renderMangle(input), ...renderNat(input), ...renderFilter(input), ''].join('\n');
}

/** the PREROUTING DNAT rule of one FIP, as `iptables -t nat -D …` arguments (missing-dnat fault) */
export function dnatRuleSpec(kind: NsIptablesInput['kind'], fip: { ip: string; fixed: string }, rfp?: string, era: IptablesEra = DEFAULT_ERA): string {
  const iif = kind === 'dvr-qrouter' && rfp && !era.dvrFipOnRfp ? ` -i ${rfp}` : '';
  return `${W}-PREROUTING -d ${fip.ip}/32${iif} -j DNAT --to-destination ${fip.fixed}`;
}
