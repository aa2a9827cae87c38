import type { Address, Device } from '../model/types';
import type { ParseResult, ParseWarning } from './types';
import { addWarning, isElisionLine, isPromptLine, splitLines, splitWords, toInt } from './lines';

/** Keywords of the device header line ("2: eth0: <…> mtu 1500 qdisc … state UP …"). */
const HEADER_KEYS = new Set(['mtu', 'qdisc', 'state', 'mode', 'group', 'qlen', 'master', 'link-netnsid', 'link-netns', 'netns']);
/** Header words that carry no value. */
const HEADER_FLAGS = new Set(['dynamic', 'portid']);

/** Link kinds printed by `ip -d` on the line after link/… (first word). */
const LINK_KINDS = new Set([
  'veth', 'bridge', 'vxlan', 'tun', 'tap', 'openvswitch', 'macvlan', 'macvtap', 'ipvlan', 'vlan', 'dummy',
  'gre', 'gretap', 'ip6gre', 'ip6gretap', 'geneve', 'bond', 'team', 'vrf', 'ipip', 'sit', 'ip6tnl', 'wireguard',
  'nlmon', 'ifb', 'can', 'vcan', 'xfrm', 'erspan', 'netkit',
]);
/** Other `ip -d` detail lines: slave info, queue/gso numbers, addrgenmode. Known, not data. */
const DETAIL_FIRST_WORDS = /^(\w+_slave|promiscuity|numtxqueues|numrxqueues|addrgenmode|gso_max_size|inet6addrgenmode|openvswitch_slave|alias|vf|prop|altname|parentbus|parentdev)$/;

/** Address words that are flags, not the label. */
const ADDR_FLAGS = new Set([
  'secondary', 'temporary', 'dynamic', 'deprecated', 'tentative', 'dadfailed', 'noprefixroute', 'nodad',
  'home', 'mngtmpaddr', 'optimistic', 'permanent', 'stable-privacy', 'autojoin', 'primary',
]);
const ADDR_KEYS = new Set(['brd', 'scope', 'peer', 'metric', 'proto', 'anycast', 'label']);

const HEADER_RE = /^(\d+):\s+([^\s:]+):\s+<([^>]*)>(.*)$/s;
/** `ip -o addr` lines: "2: qg-x    inet 203.0.113.10/24 … \       valid_lft …" */
const ONELINE_RE = /^(\d+):\s+([^\s:]+):?\s+((?:inet6?|link\/\S+)\s.*)$/s;

/**
 * "veth0@if7" → name veth0, link if7: split at the first '@' that has a character on each side
 * (what the former lazy `([^\s:]+?)(?:@([^\s:]+))?` matched — it backtracked quadratically on a
 * run of '@', issue 8).
 */
function splitNameAtLink(word: string): { name: string; link?: string } {
  const at = word.indexOf('@', 1);
  return at >= 0 && at < word.length - 1 ? { name: word.slice(0, at), link: word.slice(at + 1) } : { name: word };
}

/**
 * `ip addr` / `ip a` / `ip addr show dev X` / `ip -d addr` / `ip -o addr` text (old and new
 * iproute2: qlen, link-netnsid, @ifN, altname, valid_lft). `kind` is only known from `ip -d`
 * (or link/loopback). Header lines wrapped by publishers (ops guide) are re-joined with a warning.
 */
export function parseIpAddr(text: string): ParseResult<Device[]> {
  const warnings: ParseWarning[] = [];
  const devices: Device[] = [];
  const byIndex = new Map<string, Device>();
  let dev: Device | undefined;
  let sawDetailKind = false;
  const lines = splitLines(text);

  const bodyLine = (raw: string, t: string, lineNo: number): void => {
    if (!dev) {
      addWarning(warnings, lineNo, 'line outside any device block', raw);
      return;
    }
    const words = splitWords(t);
    const first = words[0];
    if (first.startsWith('link/')) {
      parseLinkLine(dev, words);
      return;
    }
    if (first === 'inet' || first === 'inet6') {
      const addr = parseAddressWords(words, warnings, lineNo, raw);
      if (addr) dev.addresses.push(addr);
      return;
    }
    if (first === 'valid_lft' || first === 'preferred_lft' || first === 'altname') return;
    if (LINK_KINDS.has(first)) {
      if (!sawDetailKind) dev.kind = first;
      // "vlan protocol 802.1Q id 100 <REORDER_HDR>" (nova VlanManager's vlan<N>)
      if (first === 'vlan' && !sawDetailKind) {
        const at = words.indexOf('id');
        const id = at > 0 ? toInt(words[at + 1] ?? '') : undefined;
        if (id !== undefined) dev.vlanId = id;
      }
      sawDetailKind = true;
      return;
    }
    if (DETAIL_FIRST_WORDS.test(first)) return;
    if (HEADER_KEYS.has(first) || first === 'qdisc') {
      addWarning(warnings, lineNo, 'wrapped device header re-joined', raw);
      applyHeaderWords(dev, words, warnings, lineNo, raw);
      return;
    }
    addWarning(warnings, lineNo, 'unknown line in device block', raw);
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const t = raw.trim();
    const lineNo = i + 1;
    if (t === '') continue;
    const h = HEADER_RE.exec(t);
    if (h) {
      const { name, link } = splitNameAtLink(h[2]);
      dev = startDevice(h[1], name, link, h[3].split(',').filter((f) => f !== ''), byIndex, devices);
      sawDetailKind = false;
      applyHeaderWords(dev, splitWords(h[4]), warnings, lineNo, raw);
      continue;
    }
    const o = ONELINE_RE.exec(t);
    if (o && /^\d/.test(raw)) {
      const { name, link } = splitNameAtLink(o[2]);
      dev = startDevice(o[1], name, link, undefined, byIndex, devices);
      sawDetailKind = false;
      for (const part of o[3].split('\\')) {
        const p = part.trim();
        if (p !== '') bodyLine(raw, p, lineNo);
      }
      continue;
    }
    if (isElisionLine(t) || isPromptLine(t)) {
      addWarning(warnings, lineNo, isElisionLine(t) ? 'elided output' : 'shell prompt line', raw);
      continue;
    }
    bodyLine(raw, t, lineNo);
  }
  return { value: devices, warnings };
}

function startDevice(
  index: string,
  name: string,
  link: string | undefined,
  flags: string[] | undefined,
  byIndex: Map<string, Device>,
  devices: Device[],
): Device {
  // `ip -o addr` prints one line per address: merge them into the device seen first.
  const key = `${index}:${name}`;
  const seen = byIndex.get(key);
  if (seen) {
    if (flags && seen.flags.length === 0) seen.flags = flags;
    return seen;
  }
  const dev: Device = { name, ifindex: Number(index), flags: flags ?? [], addresses: [] };
  if (link !== undefined) dev.link = link;
  byIndex.set(key, dev);
  devices.push(dev);
  return dev;
}

function applyHeaderWords(dev: Device, words: string[], warnings: ParseWarning[], lineNo: number, raw: string): void {
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (HEADER_KEYS.has(w) && i + 1 < words.length) {
      const v = words[++i];
      if (w === 'mtu') dev.mtu = toInt(v);
      else if (w === 'state') dev.state = v;
      else if (w === 'master') dev.master = v;
      continue;
    }
    if (w === '\\') continue;
    if (HEADER_FLAGS.has(w)) continue;
    addWarning(warnings, lineNo, `unknown word in device header: ${w}`, raw);
  }
}

function parseLinkLine(dev: Device, words: string[]): void {
  const type = words[0].slice('link/'.length);
  if (type === 'loopback' && dev.kind === undefined) dev.kind = 'loopback';
  const mac = words[1];
  if (mac !== undefined && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(mac) && type !== 'none') dev.mac = mac.toLowerCase();
}

/** "inet 10.0.0.1/24 brd 10.0.0.255 scope global secondary qr-x:1" → Address */
export function parseAddressWords(
  words: string[],
  warnings: ParseWarning[],
  lineNo: number,
  raw: string,
): Address | undefined {
  const family = words[0] === 'inet6' ? 'inet6' : 'inet';
  const cidr = words[1];
  if (cidr === undefined) {
    addWarning(warnings, lineNo, 'address line without address', raw);
    return undefined;
  }
  const slash = cidr.indexOf('/');
  const address = slash >= 0 ? cidr.slice(0, slash) : cidr;
  const prefixLen = slash >= 0 ? toInt(cidr.slice(slash + 1)) : family === 'inet' ? 32 : 128;
  if (prefixLen === undefined || address === '') {
    addWarning(warnings, lineNo, `bad address ${cidr}`, raw);
    return undefined;
  }
  const addr: Address = { address, prefixLen, family };
  for (let i = 2; i < words.length; i++) {
    const w = words[i];
    if (ADDR_KEYS.has(w) && i + 1 < words.length) {
      const v = words[++i];
      if (w === 'scope') addr.scope = v;
      else if (w === 'label') addr.label = v;
      continue;
    }
    if (w === 'secondary' || w === 'temporary') {
      addr.secondary = true;
      continue;
    }
    if (ADDR_FLAGS.has(w) || w === '\\') continue;
    if (w === 'valid_lft' || w === 'preferred_lft') {
      i++;
      continue;
    }
    // inet lines end with the label (device name or "dev:alias")
    if (i === words.length - 1 && family === 'inet') {
      addr.label = w;
      continue;
    }
    addWarning(warnings, lineNo, `unknown word in address line: ${w}`, raw);
  }
  return addr;
}
