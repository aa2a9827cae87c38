import { expect } from 'chai';
import * as fs from 'fs';
import { decodePcapBuffer } from '../../src/capture/pcap';
import { decodeFrame, decodeRecord } from '../../src/capture/frame';
import { decodeIcmp6, walkExtensionHeaders } from '../../src/capture/icmp6';
import { analyzeFrames } from '../../src/capture/analyze-capture';
import { renderGarpSummary } from '../../src/capture/render-garp';
import { BACKUP_IPV6_REFERENCES, judgeBackupEmissions, roleOverWindow, routerGatewayOf } from '../../src/capture/backup-emissions';
import { buildCaptureCommand, CAPTURE_FILTER, CAPTURE_FILTER_WITH_ICMP6, ICMP6_EMISSION_FILTER } from '../../src/capture/live';
import { runGarpWatch, withDirections } from '../../src/cli/commands/garp';
import { parseV6Sysctls } from '../../src/lab/faults-ipv6';
import type { CapturedFrame } from '../../src/capture/types';
import type { Inventory, InventoryNode } from '../../src/inventory/types';
import type { ExecResult, StreamHandle, StreamOptions, Transport } from '../../src/transport/types';
import { fixture } from './helpers/pcap-variants';

/**
 * §7 row 13 (lp#1859832): ICMPv6 an L3 HA backup's qg- sends. The frames are real: captured
 * `-Q out` on the backup's qg- of the neutron-l3ha lab while `lab fault lp1859832` and its heal
 * ran (fixtures/backup-qg-ipv6.SOURCE.txt), checked field by field against tcpdump -v's decode
 * of the same file (fixtures/backup-qg-ipv6.tt-nne-v.txt).
 */

const PCAP = fixture('backup-qg-ipv6.pcap');
const TEXT = fixture('backup-qg-ipv6.tt-nne-v.txt');
const SOURCE = fixture('backup-qg-ipv6.SOURCE.txt');

/** values of the capture, from its SOURCE note */
function sourceValue(key: string): string {
  const m = new RegExp(`^${key}: (\\S+)$`, 'm').exec(fs.readFileSync(SOURCE, 'utf8'));
  if (!m) throw new Error(`${key} missing in ${SOURCE}`);
  return m[1]!;
}
const QG_MAC = sourceValue('qg-mac');
const ROUTER = sourceValue('router');
const QG = sourceValue('qg-device');
const BACKUP = sourceValue('backup');
const DEVICE = `ns:qrouter-${ROUTER}:${QG}`;
/** the other replica of the fake live run */
const OTHER = BACKUP === 'net2' ? 'net1' : 'net2';

/** EUI-64 link-local of a MAC (RFC 4291 appendix A), what addr_gen_mode=0 makes */
function eui64LinkLocal(mac: string): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  b[0] ^= 2;
  const w = [(b[0]! << 8) | b[1]!, (b[2]! << 8) | 0xff, (0xfe << 8) | b[3]!, (b[4]! << 8) | b[5]!];
  return `fe80::${w.map((x) => x.toString(16)).join(':')}`;
}

function frames(): CapturedFrame[] {
  const r = decodePcapBuffer(fs.readFileSync(PCAP));
  expect(r.warnings).to.deep.equal([]);
  return r.records.map(decodeRecord);
}

/** labelled as live capture labels a `-Q out` capture of the backup's qg- */
function asLive(list: CapturedFrame[], node = BACKUP): CapturedFrame[] {
  return list.map((f) => ({ ...f, node, device: DEVICE, direction: 'out' as const }));
}

/** tcpdump -v text: one entry per packet, "dad <target>" / "ns <target>" / "mldv2 <groups>" / "mldv1 <group>" */
function tcpdumpSays(): string[] {
  const text = fs.readFileSync(TEXT, 'utf8').split('\n').filter((l) => !l.startsWith('#'));
  const packets: string[] = [];
  let cur = '';
  for (const l of text) {
    if (/^\d+\.\d+ /.test(l)) {
      if (cur) packets.push(cur);
      cur = l;
    } else cur += ' ' + l.trim();
  }
  if (cur) packets.push(cur);
  return packets.map((p) => {
    const src = /\) (\S+) > (\S+): /.exec(p);
    if (/multicast listener report v2/.test(p)) return `mldv2 ${[...p.matchAll(/gaddr (\S+) /g)].map((m) => m[1]).join(',')}`;
    if (/neighbor solicitation.*?who has (\S+)/.test(p)) return `${src?.[1] === '::' ? 'dad' : 'ns'} ${/who has (\S+)/.exec(p)![1]!.replace(/,$/, '')}`;
    if (/multicast listener (report|done)/.test(p)) return `mldv1 ${/gaddr (\S+)/.exec(p)?.[1] ?? '?'}`;
    return `other ${p}`;
  });
}

function summarize(f: CapturedFrame): string {
  const m = f.icmp6!;
  if (m.kind === 'mld-report-v2') return `mldv2 ${m.groups!.join(',')}`;
  if (m.kind === 'dad-ns') return `dad ${m.target}`;
  if (m.kind === 'ns') return `ns ${m.target}`;
  if (m.kind === 'mld-report-v1' || m.kind === 'mld-done') return `mldv1 ${m.groups![0]}`;
  return `other ${m.kind}`;
}

describe('capture/icmp6: what a backup qg- sent on the l3ha lab (§7 row 13, lp#1859832)', () => {
  it('decodes every real frame as ICMPv6 from the qg- MAC: DAD NS from :: for its EUI-64 link-local, MLDv2 reports (Hop-by-Hop) to ff02::16', () => {
    const list = frames();
    expect(list.length).to.be.at.least(3);
    expect(list.every((f) => f.kind === 'icmp6' && f.ethSrc === QG_MAC && f.ip?.version === 6), JSON.stringify(list.find((f) => f.kind !== 'icmp6'))).to.equal(true);
    const ll = eui64LinkLocal(QG_MAC);
    const dad = list.filter((f) => f.icmp6!.kind === 'dad-ns');
    expect(dad.length).to.be.at.least(1);
    for (const f of dad) {
      expect(f.ip!.src).to.equal('::');
      expect(f.icmp6!.target).to.equal(ll);
      expect(f.ip!.dst).to.equal(`ff02::1:ff${ll.split(':').slice(-2).join(':').slice(2)}`);
    }
    const mld = list.filter((f) => f.icmp6!.kind === 'mld-report-v2');
    expect(mld.length).to.be.at.least(1);
    for (const f of mld) {
      expect(f.ip!.dst).to.equal('ff02::16');
      expect(f.icmp6!.extensionHeaders).to.deep.equal([0]);
      // a report of 3 records is 130 bytes on the wire: the 128-byte snaplen keeps 2 (tcpdump prints `[|icmp6]`)
      if (f.caplen! < f.length!) {
        expect(f.icmp6!.groups!.length).to.be.below(f.icmp6!.records!);
        expect(f.reason).to.match(/MLDv2 report cut after 2 of 3 record\(s\)/);
      } else expect(f.icmp6!.groups!.length).to.equal(f.icmp6!.records);
    }
    expect(mld.filter((f) => f.caplen! < f.length!).length, 'the capture has cut reports').to.be.at.least(1);
    expect(mld.flatMap((f) => f.icmp6!.groups!)).to.include(dad[0]!.ip!.dst);
  });

  it('agrees with tcpdump -v on every packet (kind, DAD target, MLDv2 group addresses, in order)', () => {
    expect(frames().map(summarize)).to.deep.equal(tcpdumpSays());
  });

  it('is total: every real frame cut at every length decodes without throwing (icmp6, malformed or other)', () => {
    for (const rec of decodePcapBuffer(fs.readFileSync(PCAP)).records) {
      for (let n = 0; n <= rec.data.length; n++) {
        const f = decodeFrame(rec.data.subarray(0, n), 1, rec.sec, rec.usec);
        expect(['icmp6', 'malformed', 'other']).to.include(f.kind);
      }
    }
    expect(decodeIcmp6(new Uint8Array(2), 0, 2, '::').cut).to.match(/cut/);
    // a chain of extension headers that never ends is not followed forever
    const loop = new Uint8Array(80);
    expect(walkExtensionHeaders(loop, 0, 0, 80)).to.equal(undefined);
  });
});

describe('capture/backup-emissions: a backup qg- must stay silent', () => {
  it('every frame a backup sent is a finding naming node, device, MAC, frame type and lp#1859832', () => {
    const live = asLive(frames());
    const j = judgeBackupEmissions(live, () => 'backup');
    expect(j.emissions).to.have.length(live.length);
    expect(j.notes).to.deep.equal([]);
    for (const e of j.emissions) {
      expect(e).to.include({ node: BACKUP, device: DEVICE, routerId: ROUTER, mac: QG_MAC });
      expect(e.references).to.deep.equal(BACKUP_IPV6_REFERENCES);
      expect(e.detail).to.include(BACKUP).and.include(QG).and.include(QG_MAC).and.include('lp#1859832');
    }
    expect(j.emissions.map((e) => e.frame.split(' ')[0])).to.include.members(['MLDv2', 'DAD']);
  });

  it('the primary\'s frames are context; unknown or changed roles are notes, not findings; frames of unknown direction or another device are not judged', () => {
    const live = asLive(frames());
    expect(judgeBackupEmissions(live, () => 'primary')).to.deep.equal({ emissions: [], notes: [] });
    const unknown = judgeBackupEmissions(live, () => 'unknown');
    expect(unknown.emissions).to.deep.equal([]);
    expect(unknown.notes).to.deep.equal([`${BACKUP} ${DEVICE}: ${live.length} ICMPv6 frame(s) sent, not judged: HA state unknown (no readable state file: not an HA router, or another state_path)`]);
    expect(judgeBackupEmissions(live, () => 'changed').notes[0]).to.match(/HA state changed during the capture/);
    expect(judgeBackupEmissions(frames(), () => 'backup').emissions, 'a file: no node, no direction').to.deep.equal([]);
    expect(judgeBackupEmissions(live.map((f) => ({ ...f, direction: 'in' as const })), () => 'backup').emissions, 'received').to.deep.equal([]);
    expect(judgeBackupEmissions(live.map((f) => ({ ...f, device: 'br-ex' })), () => 'backup').emissions, 'a bridge').to.deep.equal([]);
  });

  it('role over the window: backup only when backup before and after', () => {
    const table: [string | undefined, string | undefined, string][] = [
      ['backup', 'backup', 'backup'], ['primary', 'primary', 'primary'], ['master', 'primary', 'primary'],
      ['backup', 'primary', 'changed'], ['primary', 'backup', 'changed'], [undefined, 'backup', 'unknown'], ['fault', 'backup', 'unknown'], ['', '', 'unknown'],
    ];
    for (const [a, b, want] of table) expect(roleOverWindow(a, b), `${a} → ${b}`).to.equal(want);
  });

  it('router and gateway device from a capture label (qrouter- for L3 HA, snat- for DVR-HA)', () => {
    expect(routerGatewayOf('ns:qrouter-abc-1:qg-12345678-9a')).to.deep.equal({ namespace: 'qrouter-abc-1', routerId: 'abc-1', device: 'qg-12345678-9a' });
    expect(routerGatewayOf('ns:snat-r:qg-1')?.routerId).to.equal('r');
    for (const d of ['br-ex', 'ns:qrouter-r:qr-1', 'ns:fip-x:fg-1', undefined]) expect(routerGatewayOf(d), String(d)).to.equal(undefined);
  });

  it('analyzeFrames: ICMPv6 rows always; anomalies only with HA roles; the summary shows the references', () => {
    const live = asLive(frames());
    const rowsOnly = analyzeFrames(live);
    expect(rowsOnly.events).to.have.length(live.length);
    expect(rowsOnly.anomalies).to.deep.equal([]);
    expect(rowsOnly.events.map((e) => e.kind)).to.include.members(['dad-ns', 'mld-report-v2']);
    const judged = analyzeFrames(live, { haRoleOf: (node) => (node === BACKUP ? 'backup' : 'primary') });
    expect(judged.anomalies.map((a) => a.kind)).to.deep.equal(live.map(() => 'backup-ipv6-emission'));
    expect(judged.anomalies[0]).to.include({ node: BACKUP, device: DEVICE, mac: QG_MAC, severity: 'error' });
    expect(renderGarpSummary(judged)).to.match(/ERROR backup-ipv6-emission: .* \[lp#1859832 lp#1771841 lp#1952907 lp#1965297\]/);
    expect(renderGarpSummary(analyzeFrames(live, { haRoleOf: () => 'unknown' }))).to.match(/no anomaly\n {2}· .*not judged/);
  });
});

describe('garp watch: ICMPv6 capture on a replica\'s qg-', () => {
  it('the outbound copy of a namespaced qg- adds the ICMPv6 filter (first: `vlan` shifts later tests), the inbound copy and bridges do not', () => {
    const [out, inn] = withDirections({ namespace: 'qrouter-r', device: 'qg-1' });
    expect(out).to.include({ direction: 'out', filter: CAPTURE_FILTER_WITH_ICMP6 });
    expect(inn!.filter).to.equal(undefined);
    expect(CAPTURE_FILTER_WITH_ICMP6.startsWith(ICMP6_EMISSION_FILTER)).to.equal(true);
    expect(withDirections({ device: 'br-ex' })).to.deep.equal([{ device: 'br-ex' }]);
    expect(withDirections({ namespace: 'qrouter-r', device: 'qr-1' })[0]!.filter).to.equal(undefined);
    const cmd = buildCaptureCommand(out!);
    expect(cmd).to.include(`-Q out -w - -s 128 -i qg-1 -- '${CAPTURE_FILTER_WITH_ICMP6}'`);
    expect(CAPTURE_FILTER).to.not.include('ip6[');
  });

  it('live over a Transport: state files read before and after; the backup\'s frames are findings (exit 1), a primary\'s are not (exit 0)', async () => {
    const pcap = fs.readFileSync(PCAP);
    const header = pcap.subarray(0, 24);
    const run = async (states: Record<string, string>): Promise<{ code: number; json: { anomalies: { kind: string; node?: string }[]; unjudged?: string[] }; stateReads: number }> => {
      let stateReads = 0;
      const transport = (node: string): Transport => ({
        node,
        connect: () => Promise.resolve(undefined),
        close: () => Promise.resolve(),
        exec: (command: string): Promise<ExecResult> => {
          if (command.includes(`/ha_confs/${ROUTER}/state`)) stateReads++;
          return Promise.resolve({ command, stdout: `${states[node] ?? ''}\n`, stderr: '', exitCode: 0, durationMs: 1, startedAt: new Date().toISOString() });
        },
        stream: (command: string, o: StreamOptions): StreamHandle => {
          let end!: (r: ExecResult) => void;
          const done = new Promise<ExecResult>((r) => (end = r));
          setImmediate(() => {
            o.onStderr?.(Buffer.from(`listening on ${QG}, link-type EN10MB (Ethernet), snapshot length 128 bytes\n`));
            o.onStdout(node === BACKUP && command.includes('-Q out') && command.includes('ip6[40]') ? pcap : header);
          });
          return { done, stop: () => Promise.resolve(end({ command, stdout: '', stderr: '', exitCode: 0, durationMs: 1, startedAt: new Date().toISOString() })) };
        },
      });
      const nodes: InventoryNode[] = [OTHER, BACKUP].map((name) => ({ name, address: '192.0.2.1', port: 22, user: 'root', roles: [], sudo: false }));
      const inv: Inventory = { source: 'test', knownHosts: '/dev/null', nodes };
      let out = '';
      const code = await runGarpWatch(
        { inventory: 'inv.yaml', on: [DEVICE], duration: '200ms', format: 'json', pattern: 'any', deadline: '10s' },
        { loadInventory: () => inv, selectNodes: () => nodes, createTransport: (n) => transport(n.name), write: (t) => (out += t), warn: () => undefined },
      );
      return { code, json: JSON.parse(out) as { anomalies: { kind: string; node?: string }[]; notes?: string[] }, stateReads };
    };
    const faulted = await run({ [OTHER]: 'primary', [BACKUP]: 'backup' });
    expect(faulted.stateReads, 'each node read before and after').to.equal(4);
    expect(faulted.code).to.equal(1);
    expect(faulted.json.anomalies.length).to.be.at.least(3);
    expect(faulted.json.anomalies.every((a) => a.kind === 'backup-ipv6-emission' && a.node === BACKUP)).to.equal(true);
    const primary = await run({ [OTHER]: 'backup', [BACKUP]: 'primary' });
    expect(primary.code).to.equal(0);
    expect(primary.json.anomalies).to.deep.equal([]);
    const noState = await run({});
    expect(noState.code).to.equal(0);
    expect(noState.json.unjudged?.[0]).to.match(/not judged: HA state unknown/);
  });
});

describe('lab fault lp1859832: sysctl read-back', () => {
  it('parses "disable_ipv6 addr_gen_mode accept_dad" as read from /proc, refuses anything else', () => {
    expect(parseV6Sysctls('1 0 1 \n')).to.deep.equal({ disable_ipv6: '1', addr_gen_mode: '0', accept_dad: '1' });
    expect(parseV6Sysctls('0 1 0')).to.deep.equal({ disable_ipv6: '0', addr_gen_mode: '1', accept_dad: '0' });
    expect(parseV6Sysctls('cat: x: No such file')).to.equal(undefined);
    expect(parseV6Sysctls('0 1')).to.equal(undefined);
  });
});
