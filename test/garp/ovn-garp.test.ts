import { expect } from 'chai';
import { EXIT, exitCodeOfError } from '../../src/exit-codes';
import { haprobeErrorOf } from '../helpers/haprobe-error';
import { judgeGarp } from '../../src/capture/verdict';
import { PATTERNS, fullSpanMs } from '../../src/capture/patterns';
import type { CapturedFrame } from '../../src/capture/types';
import { hasCappedBackoff, ovnGarpPatternFor, parseOvnGarpSettings } from '../../src/garp/ovn-garp-pattern';
import { judgeOvnDrill } from '../../src/garp/judge-ovn-drill';
import { loadGarpFixture, shifted } from '../capture/helpers/garp-frames';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodePcapBuffer } from '../../src/capture/pcap';
import { decodeRecord } from '../../src/capture/frame';
import { classifyArp } from '../../src/capture/classify';
import type { Facts } from '../../src/model/facts';
import { loadFacts } from '../../src/model/load-facts';
import { parseOvnSbGateways } from '../../src/garp/ovn-gateway';
import { planOvnAnnouncer } from '../../src/garp/plan-ovn-announcer';
import { findOtherChassisGarp } from '../../src/garp/verify-garp';

const GARP_FIX = path.resolve(__dirname, '../../../test/fixtures/ovn/garp');
const pcapFrames = (f: string): CapturedFrame[] => decodePcapBuffer(fs.readFileSync(path.join(GARP_FIX, f))).records.map(decodeRecord);

/**
 * ovn-controller's G-ARP timing by version (issue 11), read in OVN's controller/pinctrl.c at the
 * tags: ≤ 23.03.2 `backoff *= 2` before the wait (2, 4, 8, 16 s, then stop); 0d021216c (23.09.0,
 * backported to 22.03.6, 23.03.3, 23.06.3) waits then doubles (1, 2, 4, 8 s), and with
 * garp-max-timeout-sec goes on for ever. The frames are the real ovn-controller shaped G-ARP of
 * the local capture fixture (tha 00:00:00:00:00:00), put at the times each version sends.
 */
describe('OVN G-ARP pattern by ovn-controller version', () => {
  const fx = loadGarpFixture();
  const MAC = fx.ovn.arp!.sha!.toLowerCase();
  const IP = fx.ovn.arp!.spa!;
  const t0 = fx.ovn.ts - 1;
  const at = (secs: number[]): CapturedFrame[] => secs.map((s) => shifted(fx.ovn, s));
  const judge = (frames: CapturedFrame[], pattern: Parameters<typeof judgeGarp>[1]['pattern']) =>
    judgeGarp(frames, { ip: IP, mac: MAC, pattern, deadlineMs: 5000 }, { windowStart: t0, final: true });
  const OLD = [0, 2, 6, 14, 30]; // ≈1, 3, 7, 15, 31 s after the change
  const NEW = [0, 1, 3, 7, 15]; // ≈1, 2, 4, 8, 16 s

  it('23.03.0–.2: 5 frames 2, 4, 8, 16 s apart pass ovn-stop-16s; the new timing does not', () => {
    expect(judge(at(OLD), 'ovn-stop-16s').status).to.equal('PASS');
    expect(judge(at(NEW), 'ovn-stop-16s').status).to.equal('FAIL');
    expect(judge(at(OLD.slice(0, 4)), 'ovn-stop-16s').cause).to.equal('too-few');
    expect(judge(at([...OLD, 46]), 'ovn-stop-16s').cause).to.equal('too-many');
  });

  it('0d021216c: 5 frames 1, 2, 4, 8 s apart pass ovn-stop-8s; version unknown (ovn) takes either', () => {
    expect(judge(at(NEW), 'ovn-stop-8s').status).to.equal('PASS');
    expect(judge(at(OLD), 'ovn-stop-8s').status).to.equal('FAIL');
    expect(judge(at(OLD), 'ovn').status).to.equal('PASS');
    expect(judge(at(NEW), 'ovn').status).to.equal('PASS');
  });

  it('garp-max-timeout-sec: the backoff then every N s, for ever (RH bz 2087779 fixed); the stopping patterns call that too-many', () => {
    const cont = at([0, 1, 3, 7, 15, 45, 75, 105]);
    expect(judge(cont, 'ovn-continuous').status).to.equal('PASS');
    expect(judge(cont, 'ovn-stop-8s').cause).to.equal('too-many');
    expect(fullSpanMs(PATTERNS['ovn-continuous'])).to.equal(Number.POSITIVE_INFINITY);
    expect(fullSpanMs(PATTERNS['ovn-stop-16s'])).to.be.lessThan(40_000);
  });

  it('the lab (OVN 23.03.1): cmp1 G-ARPs the distributed FIP 5 times, 2-4-8-16 s apart, with the FIP port MAC — ovn-stop-16s, not ovn-stop-8s', () => {
    const frames = pcapFrames('associate-cmp1-ex-up-out.pcap');
    expect(frames).to.have.length(5);
    expect(frames.every((f) => classifyArp(f)?.shape === 'ovn' && f.arp?.tha === '00:00:00:00:00:00')).to.equal(true);
    const gaps = frames.slice(1).map((f, i) => Math.round((f.ts - frames[i]!.ts) * 1000));
    expect(gaps).to.deep.equal([2002, 4003, 8008, 16016]);
    const real = (pattern: 'ovn-stop-16s' | 'ovn-stop-8s' | 'ovn') =>
      judgeGarp(frames, { ip: '203.0.113.75', mac: 'fa:16:3e:33:eb:09', pattern, deadlineMs: 30_000 }, { windowStart: 1796106681.543, final: true });
    expect(real('ovn-stop-16s').status).to.equal('PASS');
    expect(real('ovn-stop-16s').firstGarpAfterMs ?? 0).to.be.within(1800, 2000);
    expect(real('ovn-stop-8s').status).to.equal('FAIL');
    expect(real('ovn').status).to.equal('PASS');
    expect(pcapFrames('associate-gw1-ex-up-out.pcap')).to.have.length(0);
  });

  it('hasCappedBackoff: the tags that carry 0d021216c', () => {
    expect(hasCappedBackoff('23.03.1')).to.equal(false);
    expect(hasCappedBackoff('23.03.3')).to.equal(true);
    expect(hasCappedBackoff('22.03.5')).to.equal(false);
    expect(hasCappedBackoff('22.03.6')).to.equal(true);
    expect(hasCappedBackoff('22.12.2')).to.equal(false);
    expect(hasCappedBackoff('23.06.2')).to.equal(false);
    expect(hasCappedBackoff('23.06.3')).to.equal(true);
    expect(hasCappedBackoff('23.09.0')).to.equal(true);
    expect(hasCappedBackoff('24.03.2')).to.equal(true);
    expect(hasCappedBackoff(undefined)).to.equal(undefined);
  });

  it('ovnGarpPatternFor: version and garp-max-timeout-sec → pattern; a 23.03.1 ignores the setting and says so', () => {
    expect(ovnGarpPatternFor({ version: '23.03.1' }).pattern).to.equal('ovn-stop-16s');
    const ignored = ovnGarpPatternFor({ version: '23.03.1', maxTimeoutSec: 30 });
    expect(ignored.pattern).to.equal('ovn-stop-16s');
    expect(ignored.source).to.match(/ignores it/);
    expect(ovnGarpPatternFor({ version: '24.03.2' }).pattern).to.equal('ovn-stop-8s');
    expect(ovnGarpPatternFor({ version: '24.03.2', maxTimeoutSec: 30 }).pattern).to.equal('ovn-continuous');
    expect(ovnGarpPatternFor({}).pattern).to.equal('ovn');
  });

  it('parseOvnGarpSettings: version line, empty or quoted garp-max-timeout-sec, unknown lines warned', () => {
    expect(parseOvnGarpSettings('version ovn-controller 23.03.1\ngarp-max-timeout-sec \n').value).to.deep.equal({ version: '23.03.1' });
    expect(parseOvnGarpSettings('version ovn-controller 24.03.2\ngarp-max-timeout-sec "30"\n').value).to.deep.equal({ version: '24.03.2', maxTimeoutSec: 30 });
    expect(parseOvnGarpSettings('version \ngarp-max-timeout-sec \n').value).to.deep.equal({});
    const odd = parseOvnGarpSettings('hello\n');
    expect(odd.warnings[0]?.line).to.equal(1);
  });
});

describe('OVN drill: BFD detection judged against max(min_rx, min_tx) × mult, with the upstream', () => {
  const tunnel = { fault: 'tunnel-down' as const, standbys: 2, stillClaimedByOld: false };
  const stop = { fault: 'stop-ovn-controller' as const, standbys: 2, stillClaimedByOld: true };
  const bfd = (downMs: number | null, lastUpMs = (downMs ?? 0) - 400) => ({ detectMs: 3000, downMs, lastUpMs, timers: 'min_rx 1000, min_tx 100, mult 3' });
  const takeover = { newPrimary: 'gw2', newPrimaryMs: 3132, firstGarpMs: 3382, outageMs: 577 };

  it('in time: pass, with the detection in the message', () => {
    const j = judgeOvnDrill(takeover, 5000, { ...tunnel, bfd: bfd(2844) });
    expect(j.verdict).to.equal('pass');
    expect(j.message).to.match(/BFD detection 2844 ms ≤ 3000 ms/);
  });

  it('late but the client recovered in time: warn, never fail', () => {
    const j = judgeOvnDrill(takeover, 5000, { ...tunnel, bfd: bfd(4100) });
    expect(j.verdict).to.equal('warn');
    expect(j.message).to.match(/over its budget 3000 ms \(the client still recovered in time\)/);
  });

  it('late and the client saw an outage over budget: fail, the late detection explains it', () => {
    const j = judgeOvnDrill({ ...takeover, newPrimaryMs: 5600, firstGarpMs: 5900, outageMs: 6200 }, 5000, { ...tunnel, bfd: bfd(5400) });
    expect(j.verdict).to.equal('fail');
    expect(j.explanation.join(' ')).to.match(/late detection delayed the takeover/);
  });

  it('stop-ovn-controller: BFD stayed up, nothing moved, the client fine → skip, consistent', () => {
    const j = judgeOvnDrill({ newPrimaryMs: null, firstGarpMs: null, outageMs: 220 }, 5000, { ...stop, bfd: bfd(null) });
    expect(j.verdict).to.equal('skip');
    expect(j.explanation.join(' ')).to.match(/stayed up through the fault .*consistent with the client/);
  });

  it('BFD stayed up but the client lost the router: fail, and said', () => {
    const j = judgeOvnDrill({ newPrimaryMs: null, firstGarpMs: null, outageMs: null }, 5000, { ...stop, bfd: bfd(null) });
    expect(j.verdict).to.equal('fail');
    expect(j.explanation.join(' ')).to.match(/data path failed without BFD noticing/);
  });

  it('seen after the budget but possibly before it (the last up-poll started earlier): not late — the lab run of 06:57Z', () => {
    const j = judgeOvnDrill({ newPrimary: 'gw1', newPrimaryMs: 3990, firstGarpMs: 3954, outageMs: 815 }, 5000, { ...tunnel, bfd: bfd(3990, 2700) });
    expect(j.verdict).to.equal('pass');
    expect(j.explanation.join(' ')).to.match(/BFD detection seen 3990 ms after the fault, within 3000 ms as far as polling can tell \(down between 2700 and 3990 ms\)/);
  });

  it('the watcher\'s own takeover G-ARP bounds the detection; a poll that still saw it up after the budget makes it late for sure', () => {
    const ok = judgeOvnDrill(takeover, 5000, { ...tunnel, bfd: { ...bfd(3990, 2900), upperBoundMs: 2950, boundBy: "gw2's first G-ARP" } });
    expect(ok.verdict).to.equal('pass');
    expect(ok.explanation.join(' ')).to.match(/seen 2950 ms .*≤ 3000 ms \(down by gw2's first G-ARP; the poll saw it at 3990 ms\)/);
    expect(judgeOvnDrill(takeover, 5000, { ...tunnel, bfd: bfd(3990, 3200) }).verdict).to.equal('warn');
  });

  it('no poll saw BFD down but the watcher took over and G-ARPed: dated by that G-ARP, never "stayed up" — clean-clone run 18', () => {
    // gw1 (the watcher) G-ARPed at 3538 ms, the SB poll saw its claim at 13144 ms, the one BFD poll that returned saw it up
    const run18 = { newPrimary: 'gw1', newPrimaryMs: 13144, firstGarpMs: 3538, outageMs: 641 };
    const j = judgeOvnDrill(run18, 5000, { ...tunnel, bfd: { ...bfd(null, 0), upperBoundMs: 3538, boundBy: "gw1's first G-ARP" } });
    expect(j.verdict).to.equal('pass');
    const text = j.explanation.join(' ');
    expect(text).to.match(/BFD detection seen 3538 ms after the fault, within 3000 ms as far as polling can tell \(down between 0 and 3538 ms\) \(down by gw1's first G-ARP; no poll saw it down\)/);
    expect(text).not.to.match(/stayed up/);
  });
});

describe('garp verify -p ovn: who announces (planOvnAnnouncer, pure; the lab SB of 2026-11-30)', () => {
  // the drill's real SB document (test/fixtures/ovn/drill/sb-gateways-lab.txt): cr-lrp on gw3 with
  // LRP MAC fa:16:3e:fb:68:85; FIPs .53 and .85 resident on the instance ports (distributed)
  const sbText = fs.readFileSync(path.resolve(GARP_FIX, '../drill/sb-gateways-lab.txt'), 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('\n');
  const sb = parseOvnSbGateways(sbText).value;
  const ROUTER = '200fa8b9-4ff4-4cd0-9b75-edb95e534348';
  const P1 = '403d7353-acf3-496e-ad8e-0a824d3dbc6c';
  const P2 = '4ebb4b25-85a8-4af6-87ac-fe126db9838a';
  // the facts the lab writes (ports left out: the OVN plan does not read them)
  const facts = {
    version: 1, release: 'zed', routers: [], ports: [], agents: [], upstream: { node: 'upstream', ip: '203.0.113.1' },
    floatingIps: [
      { floatingIp: '203.0.113.53', fixedIp: '10.0.0.10', portId: P1, routerId: ROUTER, host: 'cmp1', portMac: 'fa:16:3e:08:96:30' },
      { floatingIp: '203.0.113.85', fixedIp: '10.0.0.20', portId: P2, routerId: ROUTER, host: 'cmp2' },
    ],
    instances: [
      { id: 'i1', name: 'vm1', host: 'cmp1', portId: P1, mac: 'fa:16:3e:7a:49:3c', ip: '10.0.0.10' },
      { id: 'i2', name: 'vm2', host: 'cmp2', portId: P2, mac: 'fa:16:3e:b2:3c:45', ip: '10.0.0.20' },
    ],
  } as unknown as Facts;
  const nodes = ['central', 'gw1', 'gw2', 'gw3', 'cmp1', 'cmp2', 'upstream'].map((name) => ({ name }));
  const uplinks = new Map(['gw1', 'gw2', 'gw3', 'cmp1', 'cmp2'].map((n) => [n, ['ex-up']]));
  const plan = (fip: string, over: Partial<Parameters<typeof planOvnAnnouncer>[0]> = {}) =>
    planOvnAnnouncer({ facts, sb, fip, nodes, uplinks, distributed: 'auto', patternFor: () => ovnGarpPatternFor({ version: '23.03.1' }), ...over });

  it('a distributed FIP in nat_addresses: its instance\'s chassis, the MAC of the SB entry; every chassis\' uplink is an origin', () => {
    const p = plan('203.0.113.53');
    expect(p.mode).to.equal('ovn');
    expect(p.expected).to.deep.equal({ node: 'cmp1', namespace: '', device: 'ex-up', mac: 'fa:16:3e:08:96:30' });
    expect(p.candidates.map((c) => c.node).sort()).to.deep.equal(['cmp1', 'cmp2', 'gw1', 'gw2', 'gw3']);
    expect(p.pattern).to.equal('ovn-stop-16s');
  });

  it('associate (not in the SB yet): auto = distributed because another FIP is; the MAC is the FIP port\'s (facts portMac)', () => {
    const without = { ...sb, announces: sb.announces.filter((a) => !a.ips.includes('203.0.113.53')) };
    const p = plan('203.0.113.53', { sb: without, action: { kind: 'associate', instance: 'vm1' } });
    expect(p.expected).to.include({ node: 'cmp1', mac: 'fa:16:3e:08:96:30' });
    expect(() => plan('203.0.113.85', { sb: { ...sb, announces: [] }, action: { kind: 'associate', instance: 'vm2' }, distributed: true })).to.throw(/portMac/);
  });

  it('centralized: the chassis claiming cr-lrp (gw3) with the LRP MAC', () => {
    const p = plan('203.0.113.53', { sb: { ...sb, announces: [] }, action: { kind: 'associate', instance: 'vm1' }, distributed: false });
    expect(p.expected).to.include({ node: 'gw3', mac: 'fa:16:3e:fb:68:85' });
  });

  it('the announcing chassis could not be read: the error says so (a node error, exit 3, with the reason), not that it has no uplink', () => {
    const without = new Map([...uplinks].filter(([n]) => n !== 'cmp1'));
    const unread = plan.bind(null, '203.0.113.53', { uplinks: without, unreadUplinks: new Map([['cmp1', 'timeout: command timed out after 20000 ms']]) });
    expect(unread).to.throw(/cmp1 must announce 203\.0\.113\.53 but could not be read \(timeout: command timed out after 20000 ms\)/);
    const err = haprobeErrorOf(unread);
    expect(err.code, 'a node error: garp verify exits 3 as a run with an unreachable node').to.equal('node');
    expect(exitCodeOfError(err.code)).to.equal(EXIT.UNREACHABLE);
    expect(() => plan('203.0.113.53', { uplinks: without })).to.throw(/no provider uplink of it is known/);
  });

  it('a G-ARP leaving another chassis\' uplink is found (RH bz 2062580); the resident one is not', () => {
    const fx = loadGarpFixture();
    const f = (node: string): CapturedFrame => ({ ...shifted(fx.ovn, 0), node, device: 'ex-up' });
    const points = [{ node: 'cmp1', role: 'origin' as const, target: { device: 'ex-up' } }, { node: 'gw1', role: 'origin' as const, target: { device: 'ex-up' } }];
    const ip = fx.ovn.arp!.spa!;
    expect(findOtherChassisGarp([f('cmp1')], points, 'cmp1', ip, fx.ovn.ts - 1)).to.equal(undefined);
    expect(findOtherChassisGarp([f('cmp1'), f('gw1')], points, 'cmp1', ip, fx.ovn.ts - 1)?.node).to.equal('gw1');
  });
});

describe('garp verify -p ovn on the lab\'s own SB and facts (2026-12-01 07:00Z)', () => {
  const text = (f: string): string => fs.readFileSync(path.join(GARP_FIX, f), 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('\n');
  const facts = loadFacts(path.join(GARP_FIX, 'facts-lab.json')).facts;
  const sb = parseOvnSbGateways(text('sb-gateways-after-associate.txt')).value;

  it('the facts validate, and each FIP\'s portMac is the MAC its SB nat_addresses entry announces (external_mac = the FIP port MAC)', () => {
    for (const f of facts.floatingIps) {
      const a = sb.announces.find((x) => x.ips.includes(f.floatingIp));
      expect(a?.mac, f.floatingIp).to.equal(f.portMac);
      expect(a?.resident, f.floatingIp).to.equal(f.portId);
    }
  });

  it('vm1\'s FIP: cmp1, the FIP port MAC, ovn-stop-16s from the chassis\' own settings output', () => {
    const settings = parseOvnGarpSettings(text('cmp1-garp-settings.txt'));
    expect(settings.warnings).to.deep.equal([]);
    expect(settings.value).to.deep.equal({ version: '23.03.1' });
    const uplinks = new Map(['gw1', 'gw2', 'gw3', 'cmp1', 'cmp2'].map((n) => [n, ['ex-up']]));
    const nodes = ['central', 'gw1', 'gw2', 'gw3', 'cmp1', 'cmp2', 'upstream'].map((name) => ({ name }));
    const fip = facts.floatingIps.find((f) => f.host === 'cmp1')!.floatingIp;
    const p = planOvnAnnouncer({ facts, sb, fip, nodes, uplinks, distributed: 'auto', action: { kind: 'associate', instance: 'vm1' }, patternFor: () => ovnGarpPatternFor(settings.value) });
    expect(p.expected).to.deep.equal({ node: 'cmp1', namespace: '', device: 'ex-up', mac: 'fa:16:3e:07:22:7f' });
    expect(p.pattern).to.equal('ovn-stop-16s');
    // the router's gateway address is centralized: gw3 (claiming cr-lrp) with the LRP MAC
    const gwIp = sb.ports[0]!.networks[0]!.split('/')[0]!;
    expect(planOvnAnnouncer({ facts, sb, fip: gwIp, nodes, uplinks, distributed: 'auto', patternFor: () => ovnGarpPatternFor(settings.value) }).expected).to.include({ node: 'gw3', mac: 'fa:16:3e:2b:03:95' });
  });
});
