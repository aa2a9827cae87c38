import { nodeScript } from './shell';

/**
 * G-ARPs as the agents send them, with iputils arping (/usr/bin/arping), by release
 * (ReleaseRules.agentGarp): Juno one `arping -A -c 3`, Kilo–Newton `arping -A -c 3 -w`, and
 * Pike+ `ip_lib.send_ip_addr_adv_notif` = 3 rounds 2 s apart, each round
 * `arping -U -I dev -c 1 -w 2 IP` then `arping -A -I dev -c 1 -w 2 IP` (ground-truth §0.7).
 * `wrong-sender` sends `arping -I dev -s <sender> -c 3 IP` instead: "who-has IP tell <sender>",
 * which is NOT a G-ARP (the wrong-sender-garp fault).
 */
export interface GarpRecord {
  node: string;
  namespace: string;
  device: string;
  ip: string;
  pattern: 'pike+' | 'kilo-newton' | 'juno' | 'none' | 'wrong-sender';
  /** sender IP used for the wrong-sender pattern */
  senderIp?: string;
  /** epoch ms of each arping invocation start, in order (-U, -A, -U, -A, -U, -A) */
  sentAtMs: number[];
  startedAtMs: number;
  endedAtMs: number;
}

export interface GarpTarget {
  node: string;
  holderPid: number;
  namespace: string;
  device: string;
  ip: string;
}

function renderGarpScript(t: GarpTarget, pattern: GarpRecord['pattern'], senderIp?: string): string {
  const x = `ip netns exec ${t.namespace}`;
  if (pattern === 'wrong-sender') {
    return `date +%s%3N\n${x} /usr/bin/arping -I ${t.device} -s ${senderIp} -c 3 -w 4 ${t.ip} >/dev/null 2>&1 || true\n`;
  }
  if (pattern === 'juno') {
    // Juno l3_agent: one `arping -A -I dev -c 3 IP` (send_arp_for_ha = 3): 3 REPLYs 1 s apart
    return `date +%s%3N\n${x} /usr/bin/arping -A -I ${t.device} -c 3 ${t.ip} >/dev/null 2>&1 || true\n`;
  }
  if (pattern === 'kilo-newton') {
    // Kilo–Newton ip_lib: `-w 1.5 * count` = 4.5; this iputils arping takes integer deadlines only
    return `date +%s%3N\n${x} /usr/bin/arping -A -I ${t.device} -c 3 -w 5 ${t.ip} >/dev/null 2>&1 || true\n`;
  }
  const lines: string[] = [];
  for (let i = 0; i < 3; i++) {
    if (i > 0) lines.push('sleep 2');
    for (const arg of ['-U', '-A']) {
      lines.push('date +%s%3N', `${x} /usr/bin/arping ${arg} -I ${t.device} -c 1 -w 2 ${t.ip} >/dev/null 2>&1 || true`);
    }
  }
  return lines.join('\n') + '\n';
}

/** send the G-ARPs for one address and return what was sent, with timestamps */
export async function sendGarp(t: GarpTarget, pattern: GarpRecord['pattern'] = 'pike+', senderIp?: string): Promise<GarpRecord> {
  const startedAtMs = Date.now();
  const rec: GarpRecord = {
    node: t.node, namespace: t.namespace, device: t.device, ip: t.ip, pattern, senderIp, sentAtMs: [], startedAtMs, endedAtMs: startedAtMs,
  };
  if (pattern === 'none') return rec;
  const out = await nodeScript(t.holderPid, renderGarpScript(t, pattern, senderIp), `arping ${t.ip} on ${t.node}`, 30_000);
  rec.sentAtMs = out.split('\n').filter((l) => /^\d+$/.test(l.trim())).map(Number);
  rec.endedAtMs = Date.now();
  return rec;
}
