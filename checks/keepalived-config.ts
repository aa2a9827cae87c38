import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import type { KeepalivedVip } from '../src/model/types';
import { evidenceFor } from './lib/evidence';
import { createOutcome } from './lib/finding';
import type { KeepalivedInstance } from '../src/model/types';
import { haRouterState, isLinkLocalPrimaryVip, primaryVip } from './lib/ha';
import { haRouters } from './lib/ha-routers';
import { findRouter, gatewayPort, portsOfRouter } from './lib/lookup';
import { numParam } from './lib/mode';
import { stripPrefix } from './lib/net';
import { isCentralizedFip } from '../src/intent/agent-mode';
import { haPrimaryVipLinkLocal, keepalivedGarpTemplates, releaseLabel, releaseOf, type GarpTemplate } from './lib/release';

/**
 * keepalived.conf as neutron renders it (ground-truth §2e/2f, keepalived.py): state BACKUP,
 * nopreempt, priority 50, advert_int 2, garp_master_delay 60 (Mitaka+, bug 1520517;
 * Liberty: garp_master_repeat 5 + refresh 10, bug 1453855; Juno/Kilo GA: none),
 * track_interface ha-, primary VIP 169.254.0.<vrid>/24 dev ha-, excluded VIPs = the router's
 * addresses, default route via the external gateway, and no vrrp_garp_* in global_defs.
 *
 * params: priority (50), advertInt (2), garpMasterDelay (60), release.
 */
const ipv4Set = (vips: KeepalivedVip[]): Set<string> => new Set(vips.filter((v) => v.address.includes('.')).map((v) => stripPrefix(v.address)));

type Bad = (what: string, expected: string, actual: string, warn?: boolean) => void;

/**
 * The G-ARP lines of the release's template (release.ts keepalivedGarpTemplates): Mitaka+
 * `garp_master_delay 60` and no refresh; Liberty `garp_master_repeat 5` + `garp_master_refresh 10`
 * (its own template: a note about LP 1520517, not a misconfiguration) or the backported delay;
 * Juno/Kilo none or the backported delay. Unknown release: what is found is reported, not judged.
 */
function judgeGarpLines(inst: KeepalivedInstance, templates: GarpTemplate[] | undefined, garpDelay: number, release: string | undefined, bad: Bad, note: (m: string) => void): void {
  const hasDelay = inst.garpMasterDelay === garpDelay && (inst.garpMasterRefresh ?? 0) === 0;
  const hasRepeat = inst.garpMasterRepeat !== undefined || (inst.garpMasterRefresh ?? 0) > 0;
  const hasNone = inst.garpMasterDelay === undefined && !hasRepeat;
  const seen = `garp_master_delay ${inst.garpMasterDelay ?? '(default 5)'}, garp_master_repeat ${inst.garpMasterRepeat ?? '(default 5)'}, garp_master_refresh ${inst.garpMasterRefresh ?? '(default 0)'}`;
  if (templates === undefined) {
    if (!hasDelay)
      bad(`G-ARP lines are not the Mitaka+ template and the release is unknown (${releaseLabel(release)}): not judged`, `garp_master_delay ${garpDelay} (Mitaka+), garp_master_repeat/refresh (Liberty), none (Juno/Kilo)`, seen, true);
    return;
  }
  if (templates.includes('delay') && hasDelay) return;
  if (templates.includes('repeat-refresh') && hasRepeat) {
    note(`garp_master_repeat/refresh is the Liberty template (lp#1453855); it G-ARPs periodically, which broke IPv6 default routes of VMs until Mitaka (lp#1520517)`);
    return;
  }
  if (templates.includes('none') && hasNone) return;
  if (templates.includes('repeat-refresh') && hasNone) {
    bad('neither garp_master_repeat (Liberty) nor garp_master_delay', 'garp_master_repeat 5 / garp_master_refresh 10', '(none)', true);
    return;
  }
  if ((inst.garpMasterRefresh ?? 0) > 0 && !templates.includes('repeat-refresh'))
    bad('garp_master_refresh set: periodic G-ARPs (lp#1520517)', 'no garp_master_refresh', `garp_master_refresh ${inst.garpMasterRefresh}`);
  else bad(`G-ARP lines differ from the ${release} template (second G-ARP burst, lp#1453855)`, templates.map((t) => (t === 'delay' ? `garp_master_delay ${garpDelay}` : t === 'none' ? 'none' : 'garp_master_repeat 5 / garp_master_refresh 10')).join(' or '), seen);
}

export const check: Check = {
  id: 'keepalived-config',
  title: 'keepalived.conf of every HA router follows the neutron template',
  description:
    'state BACKUP, nopreempt, priority 50, advert_int, the G-ARP lines of the release (Mitaka+ garp_master_delay 60, Liberty repeat/refresh, Juno/Kilo none; ' +
    'unknown release: reported, not judged), track_interface ha-, the primary VIP of the release, ' +
    'excluded VIPs = gateway + interface + floating IPs of the router, default route via the external gateway, no vrrp_garp_* globals.',
  severity: 'major',
  references: [
    { kind: 'doc', ref: 'ground-truth §2e/2f' },
    { kind: 'bug', ref: 'lp#1520517' },
    { kind: 'bug', ref: 'lp#1453855' },
    { kind: 'bug', ref: 'lp#1874211' },
    { kind: 'seed', ref: '004_e665e055f667cc34.txt (ZHAW: Neutron HA experience)' },
  ],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    const release = releaseOf(ctx.params, ctx.facts?.release);
    // unknown release: never read as the newest; the release-dependent lines are then only reported
    const garpTemplates = keepalivedGarpTemplates(release);
    const linkLocalVip = haPrimaryVipLinkLocal(release);
    const priority = numParam(ctx.params, 'priority', 50);
    const advertInt = numParam(ctx.params, 'advertInt', 2);
    const garpDelay = numParam(ctx.params, 'garpMasterDelay', 60);

    for (const r of haRouters(ctx)) {
      const excludedSets: { node: string; set: Set<string> }[] = [];
      for (const { node, namespace } of r.replicas) {
        const subject = out.look({ node: node.node, router: r.id });
        const ev = evidenceFor(node, [`keepalived:${r.id}`]);
        const cfg = haRouterState(node, r.id)?.config;
        if (!cfg) {
          out.warn(subject, { message: `keepalived.conf of router ${r.id} was not read on ${node.node}`, expected: 'ha_confs/<id>/keepalived.conf', actual: 'absent', evidence: ev });
          continue;
        }
        const bad = (what: string, expected: string, actual: string, warn = false): void =>
          (warn ? out.warn : out.fail)(subject, { message: `keepalived.conf of router ${r.id} on ${node.node}: ${what}`, expected, actual, evidence: ev });

        for (const k of Object.keys(cfg.globalDefs))
          if (k.startsWith('vrrp_garp') || k.startsWith('garp_lower_prio'))
            bad(`${k} in global_defs is not rendered by neutron (hand edit or packaging)`, 'global_defs: notification_email_from, router_id', `${k} ${cfg.globalDefs[k]}`, true);

        if (cfg.instances.length !== 1) {
          bad('expected exactly one vrrp_instance', '1 vrrp_instance', String(cfg.instances.length));
          if (cfg.instances.length === 0) continue;
        }
        const inst = cfg.instances[0]!;
        if ((inst.state ?? '').toUpperCase() !== 'BACKUP') bad('state is not BACKUP', 'state BACKUP', `state ${inst.state ?? '(none)'}`);
        if (!inst.nopreempt) bad('nopreempt missing', 'nopreempt', 'preempt');
        if (inst.priority !== priority) bad('priority differs', `priority ${priority}`, `priority ${inst.priority ?? '(default 100)'}`);
        if (inst.advertInt !== advertInt) bad('advert_int differs', `advert_int ${advertInt}`, `advert_int ${inst.advertInt ?? '(default 1)'}`);
        judgeGarpLines(inst, garpTemplates, garpDelay, release, bad, (message) => out.note(subject, { message, evidence: ev }));
        const itf = inst.interface;
        if (!itf?.startsWith('ha-')) bad('interface is not the ha- device', 'interface ha-…', `interface ${itf ?? '(none)'}`);
        if (itf && !inst.trackInterfaces.includes(itf)) bad('track_interface does not list the ha- device', `track_interface { ${itf} }`, inst.trackInterfaces.join(' ') || '(none)');
        const vrid = inst.virtualRouterId;
        const firstVip = inst.virtualIpaddress[0];
        const linkLocalForm = inst.virtualIpaddress.some((v) => isLinkLocalPrimaryVip(v.address));
        if (linkLocalVip === false || (linkLocalVip === undefined && !linkLocalForm && firstVip !== undefined)) {
          // Juno: the primary VIP is the router's own gateway address on qg- (ground-truth §2b)
          const gw = ctx.facts ? (gatewayPort(ctx.facts, r.id)?.fixedIps[0] ?? findRouter(ctx.facts, r.id)?.gatewayIp) : undefined;
          const ok = firstVip !== undefined && firstVip.dev?.startsWith('qg-') === true && (!gw || stripPrefix(firstVip.address) === gw);
          const want = `${gw ?? '<gateway ip>'}/<prefix> dev qg-… (Juno template)`;
          if (!ok && linkLocalVip === false) bad('primary VIP is not the gateway address on qg-', want, inst.virtualIpaddress.map((v) => `${v.address} dev ${v.dev ?? '?'}`).join(', ') || '(none)');
          else if (linkLocalVip === undefined)
            out.warn(subject, {
              message: `keepalived.conf of router ${r.id} on ${node.node}: primary VIP ${firstVip!.address} is not 169.254.0.<vrid>/24 on ha-: the Juno template, wrong on Kilo and later; release ${releaseLabel(release)}`,
              expected: vrid !== undefined ? `${primaryVip(vrid)}/24 dev ${itf ?? 'ha-…'} (Kilo+) or the gateway address on qg- (Juno)` : 'the primary VIP of the release',
              actual: inst.virtualIpaddress.map((v) => `${v.address} dev ${v.dev ?? '?'}`).join(', '),
              evidence: ev,
            });
        } else if (vrid !== undefined && !inst.virtualIpaddress.some((v) => stripPrefix(v.address) === primaryVip(vrid) && (v.prefixLen === 24 || v.address.endsWith('/24')) && (!v.dev || v.dev === itf)))
          bad('primary VIP missing', `${primaryVip(vrid)}/24 dev ${itf ?? 'ha-…'}`, inst.virtualIpaddress.map((v) => v.address).join(', ') || '(none)');

        // the router's addresses: excluded VIPs, plus (Juno) the gateway address keepalived holds as primary VIP
        const excluded = ipv4Set([...inst.virtualIpaddressExcluded, ...inst.virtualIpaddress.filter((v) => !isLinkLocalPrimaryVip(v.address))]);
        excludedSets.push({ node: node.node, set: excluded });
        const fr = findRouter(ctx.facts, r.id);
        if (ctx.facts && fr) {
          const want = new Set<string>();
          const gw = gatewayPort(ctx.facts, r.id);
          for (const ip of gw?.fixedIps ?? (fr.gatewayIp ? [fr.gatewayIp] : [])) if (ip.includes('.')) want.add(ip);
          const internalOwners = r.mode === 'dvr-ha'
            ? ['network:router_centralized_snat']
            : ['network:router_interface', 'network:ha_router_replicated_interface'];
          for (const p of portsOfRouter(ctx.facts, r.id, internalOwners)) for (const ip of p.fixedIps) if (ip.includes('.')) want.add(ip);
          for (const f of ctx.facts.floatingIps)
            if (f.routerId === r.id && (r.mode === 'ha' || isCentralizedFip(ctx.facts, f))) want.add(f.floatingIp);
          const missing = [...want].filter((ip) => !excluded.has(ip));
          const extra = [...excluded].filter((ip) => !want.has(ip));
          if (missing.length > 0) bad('virtual_ipaddress_excluded lacks router addresses', [...want].join(', '), `missing ${missing.join(', ')}`);
          if (extra.length > 0) bad('virtual_ipaddress_excluded has addresses the router does not own (stale)', [...want].join(', '), `extra ${extra.join(', ')}`);
          const extGw = fr.externalGatewayIp;
          if (fr.externalNetworkId !== undefined || extGw !== undefined) {
            const ok = inst.virtualRoutes.some((vr) => (vr.dst === '0.0.0.0/0' || vr.dst === 'default') && (!extGw || vr.via === extGw) && (!vr.dev || vr.dev.startsWith('qg-')));
            if (!ok) bad('default route via the external gateway missing in virtual_routes', `0.0.0.0/0 via ${extGw ?? '<ext gw>'} dev qg-…`, inst.virtualRoutes.map((v) => v.raw).join('; ') || '(none)');
          }
        } else if (inst.virtualIpaddressExcluded.some((v) => v.dev?.startsWith('qg-')) &&
          !inst.virtualRoutes.some((vr) => vr.dst === '0.0.0.0/0' || vr.dst === 'default')) {
          bad('router has qg- VIPs but no default route in virtual_routes', '0.0.0.0/0 via <ext gw> dev qg-…', inst.virtualRoutes.map((v) => v.raw).join('; ') || '(none)');
        }
      }
      // replicas of one router render the same excluded VIP set
      if (!ctx.facts && excludedSets.length > 1) {
        const union = new Set(excludedSets.flatMap((x) => [...x.set]));
        for (const x of excludedSets) {
          const missing = [...union].filter((ip) => !x.set.has(ip));
          if (missing.length > 0)
            out.fail({ node: x.node, router: r.id }, {
              message: `keepalived.conf of router ${r.id} on ${x.node} lacks excluded VIPs other replicas have`,
              expected: [...union].join(', '),
              actual: `missing ${missing.join(', ')}`,
              evidence: evidenceFor(r.replicas.find((p) => p.node.node === x.node)?.node, [`keepalived:${r.id}`]),
            });
        }
      }
    }
    return out.done();
  },
};
