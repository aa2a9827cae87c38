import type { CapturedFrame } from '../../../src/capture/types';

/**
 * Frame-by-frame comparison of haprobe's pcap decode with tcpdump's own decode of the same
 * file (parsed by haprobe's text parser). Returns one line per disagreement.
 * What tcpdump does not print is not compared (request sha, reply tpa/tha, addresses without -v);
 * a request tha that tcpdump does not print must be all-zero in the pcap (print-arp.c isnonzero).
 * `htype != 1` ARPs: tcpdump without -v prints them like Ethernet ones; haprobe says 'other'.
 */
export function compareFrames(pcap: CapturedFrame[], text: CapturedFrame[]): string[] {
  const out: string[] = [];
  if (pcap.length !== text.length) out.push(`count: pcap ${pcap.length}, text ${text.length}`);
  const n = Math.min(pcap.length, text.length);
  for (let i = 0; i < n; i++) {
    const p = pcap[i];
    const t = text[i];
    const diff = (what: string, a: unknown, b: unknown): void => {
      if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`#${i + 1} ${what}: pcap ${JSON.stringify(a)} text ${JSON.stringify(b)}`);
    };
    if (t.clock === 'epoch') {
      diff('sec', p.sec, t.sec);
    } else {
      const d = new Date(p.sec * 1000);
      diff('time of day', d.getHours() * 3600 + d.getMinutes() * 60 + d.getSeconds(), t.sec);
    }
    diff('usec', p.usec, t.usec);
    if (t.ethSrc !== undefined) diff('ethSrc', p.ethSrc, t.ethSrc);
    if (t.ethDst !== undefined) diff('ethDst', p.ethDst, t.ethDst);
    if (t.ethSrc !== undefined) diff('vlans', p.vlans, t.vlans);
    if (p.kind === 'other' && p.reason?.startsWith('ARP htype') && t.kind === 'arp') continue;
    diff('kind', p.kind, t.kind);
    if (p.arp && t.arp) {
      diff('op', p.arp.op, t.arp.op);
      diff('spa', p.arp.spa, t.arp.spa);
      if (t.arp.tpa !== undefined) diff('tpa', p.arp.tpa, t.arp.tpa);
      if (t.arp.sha !== undefined) diff('sha', p.arp.sha, t.arp.sha);
      if (p.arp.op === 1) diff('tha', p.arp.tha === '00:00:00:00:00:00' ? undefined : p.arp.tha, t.arp.tha);
    }
    if (p.vrrp && t.vrrp) {
      for (const k of ['version', 'vrid', 'priority', 'advertIntervalMs'] as const) diff(`vrrp.${k}`, p.vrrp[k], t.vrrp[k]);
      if (t.vrrp.addresses !== undefined) diff('vrrp.addresses', p.vrrp.addresses, t.vrrp.addresses);
    }
    if (p.ip && t.ip) {
      diff('ip.src', p.ip.src, t.ip.src);
      diff('ip.dst', p.ip.dst, t.ip.dst);
      if (t.ip.ttl !== undefined) diff('ip.ttl', p.ip.ttl, t.ip.ttl);
    }
  }
  return out;
}
