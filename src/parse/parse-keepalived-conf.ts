import type { KeepalivedConfig, KeepalivedInstance, KeepalivedRoute, KeepalivedVip } from '../model/types';
import type { ParseResult, ParseWarning } from './types';
import { addWarning, toInt } from './lines';
import { tokenizeKeepalivedConf } from './tokenize-keepalived-conf';
import type { ConfNode } from './tokenize-keepalived-conf';

/** Top-level blocks haprobe does not model (known keepalived syntax, not warnings). */
const IGNORED_TOP = new Set(['vrrp_sync_group', 'vrrp_script', 'virtual_server', 'virtual_server_group', 'static_ipaddress', 'static_routes', 'static_rules', 'include', 'linkbeat_use_polling', 'vrrp_track_process', 'track_file', 'bfd_instance']);
/** vrrp_instance keywords the model does not keep. */
const IGNORED_INSTANCE = new Set([
  'authentication', 'track_script', 'track_process', 'track_file', 'track_bfd', 'notify', 'notify_master', 'notify_backup',
  'notify_fault', 'notify_stop', 'notify_deleted', 'smtp_alert', 'dont_track_primary', 'version', 'use_vmac', 'vmac_xmit_base',
  'mcast_src_ip', 'unicast_src_ip', 'unicast_peer', 'preempt_delay', 'native_ipv6', 'accept', 'no_accept', 'strict_mode',
  'lvs_sync_daemon_interface', 'garp_lower_prio_delay', 'garp_lower_prio_repeat', 'garp_master_refresh_repeat',
  'virtual_rules', 'debug', 'skip_check_adv_addr', 'unicast_ttl', 'kernel_rx_buf_size', 'track_interface_weight',
  'vrrp_garp_interval', 'vrrp_gna_interval', 'garp_interval', 'gna_interval', 'down_timer_adverts', 'check_unicast_src',
]);

/**
 * keepalived.conf as neutron renders it (ground-truth §2e/2f; Juno sample with vrrp_sync_group):
 * global_defs as key → rest of line, vrrp_instance blocks with the fields the HA checks need.
 * Unknown keywords are warnings; malformed VIP/route lines are warnings and skipped.
 */
export function parseKeepalivedConf(text: string): ParseResult<KeepalivedConfig> {
  const warnings: ParseWarning[] = [];
  const config: KeepalivedConfig = { globalDefs: {}, instances: [] };
  for (const node of tokenizeKeepalivedConf(text, warnings)) {
    const kw = node.words[0];
    if (kw === 'global_defs' && node.children) {
      for (const c of node.children) {
        if (c.children) addWarning(warnings, c.line, `block ${c.words[0]} in global_defs not modelled`);
        config.globalDefs[c.words[0]] = c.words.slice(1).join(' ');
      }
      continue;
    }
    if (kw === 'vrrp_instance' && node.children) {
      config.instances.push(readInstance(node, warnings));
      continue;
    }
    if (kw !== undefined && IGNORED_TOP.has(kw)) continue;
    addWarning(warnings, node.line, `unknown top-level keyword ${kw ?? '(none)'}`, node.words.join(' '));
  }
  // tokenizer warnings (unclosed blocks) come first; report in line order
  warnings.sort((a, b) => a.line - b.line);
  return { value: config, warnings };
}

function readInstance(node: ConfNode, warnings: ParseWarning[]): KeepalivedInstance {
  const inst: KeepalivedInstance = {
    name: node.words[1] ?? '',
    nopreempt: false,
    trackInterfaces: [],
    virtualIpaddress: [],
    virtualIpaddressExcluded: [],
    virtualRoutes: [],
  };
  if (node.words[1] === undefined) addWarning(warnings, node.line, 'vrrp_instance without a name');
  for (const c of node.children ?? []) {
    const [kw, v] = c.words;
    switch (kw) {
      case 'state': inst.state = v; break;
      case 'interface': inst.interface = v; break;
      case 'virtual_router_id': inst.virtualRouterId = intOrWarn(v, c, warnings); break;
      case 'priority': inst.priority = intOrWarn(v, c, warnings); break;
      case 'advert_int': inst.advertInt = numOrWarn(v, c, warnings); break;
      case 'garp_master_delay': inst.garpMasterDelay = numOrWarn(v, c, warnings); break;
      case 'garp_master_repeat': inst.garpMasterRepeat = intOrWarn(v, c, warnings); break;
      case 'garp_master_refresh': inst.garpMasterRefresh = numOrWarn(v, c, warnings); break;
      case 'nopreempt': inst.nopreempt = true; break;
      case 'track_interface':
        for (const t of c.children ?? []) if (t.words[0] !== undefined) inst.trackInterfaces.push(t.words[0]);
        break;
      case 'virtual_ipaddress':
      case 'virtual_ipaddress_excluded': {
        const list = kw === 'virtual_ipaddress' ? inst.virtualIpaddress : inst.virtualIpaddressExcluded;
        for (const t of c.children ?? []) {
          const vip = parseVip(t.words);
          if (vip) list.push(vip);
          else addWarning(warnings, t.line, `bad ${kw} entry`, t.words.join(' '));
        }
        break;
      }
      case 'virtual_routes':
        for (const t of c.children ?? []) {
          const r = parseRoute(t.words);
          if (r) inst.virtualRoutes.push(r);
          else addWarning(warnings, t.line, 'bad virtual_routes entry', t.words.join(' '));
        }
        break;
      default:
        if (kw === undefined || !IGNORED_INSTANCE.has(kw)) {
          addWarning(warnings, c.line, `unknown vrrp_instance keyword ${kw ?? '(none)'}`, c.words.join(' '));
        }
    }
  }
  return inst;
}

function intOrWarn(v: string | undefined, c: ConfNode, warnings: ParseWarning[]): number | undefined {
  const n = toInt(v);
  if (n === undefined) addWarning(warnings, c.line, `${c.words[0]}: not an integer`, c.words.join(' '));
  return n;
}

function numOrWarn(v: string | undefined, c: ConfNode, warnings: ParseWarning[]): number | undefined {
  if (v !== undefined && /^\d+(\.\d+)?$/.test(v)) return Number(v);
  addWarning(warnings, c.line, `${c.words[0]}: not a number`, c.words.join(' '));
  return undefined;
}

/**
 * IPv4, or IPv6 (hex, then the first ':', then hex, ':' and '.'). The hex part before the first
 * ':' excludes ':' so a token has one way to match: `[0-9a-fA-F:]*:` backtracked quadratically
 * on a run of ':' (32K ':' in a VIP line took 9.6 s; issue 8).
 */
const IP_RE = /^([0-9.]+|[0-9a-fA-F]*:[0-9a-fA-F:.]*)(?:\/(\d{1,3}))?$/;

/** "19.4.4.4/24 dev qg-x [scope link] [no_track] [brd X] [label X]" */
export function parseVip(words: string[]): KeepalivedVip | undefined {
  const m = IP_RE.exec(words[0] ?? '');
  if (!m) return undefined;
  const vip: KeepalivedVip = {
    address: m[1],
    prefixLen: m[2] !== undefined ? Number(m[2]) : m[1].includes(':') ? 128 : 32,
  };
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    if (w === 'dev') vip.dev = words[++i];
    else if (w === 'scope') vip.scope = words[++i];
    else if (w === 'no_track') vip.noTrack = true;
    else if (w === 'brd' || w === 'label' || w === 'track_group' || w === 'preferred_lft') i++;
  }
  return vip;
}

/** "dest [src X] [via X|gw X] [dev X] [scope S] [no_track] [protocol static]"; also "blackhole dest". */
export function parseRoute(words: string[]): KeepalivedRoute | undefined {
  let i = 0;
  if (['blackhole', 'unreachable', 'prohibit', 'throw'].includes(words[0])) i++;
  const dst = words[i++];
  if (dst === undefined || !(dst === 'default' || IP_RE.test(dst))) return undefined;
  const route: KeepalivedRoute = { dst, raw: words.join(' ') };
  for (; i < words.length; i++) {
    const w = words[i];
    if ((w === 'via' || w === 'gw') && words[i + 1] !== undefined) route.via = words[++i];
    else if ((w === 'dev' || w === 'oif') && words[i + 1] !== undefined) route.dev = words[++i];
  }
  return route;
}
