import { expect } from 'chai';
import * as parsers from '../../src/parse';
import type { ParseResult } from '../../src/parse/types';
import { parseTcpdumpText } from '../../src/capture/tcpdump-text';
import { decodePcapBuffer, PcapStreamDecoder } from '../../src/capture/pcap';
import { decodeFrame, decodeRecord } from '../../src/capture/frame';
import { analyzeFrames } from '../../src/capture/analyze-capture';
import { renderGarpTable } from '../../src/capture/render-garp';
import type { CapturedFrame } from '../../src/capture/types';
import { expectFastAndTotal, expectLinear, fixtureBody, hugeLine, pick, readTestBytes, rng, seedOf } from './fuzz-helpers';

/**
 * Hostile output never hangs or crashes haprobe (issue 8). Every parser of src/parse/index.ts
 * and the capture path (pcap decoder, frame decoder, tcpdump text parser, classification and the
 * garp table) gets random text, real outputs cut anywhere and mutated, huge lines built from the
 * characters regexes trip on, deep nesting, NUL and invalid UTF-8. Each input must return (no
 * exception) within a time bound; for each parser, doubling a large input at most ~2.5× the time.
 * Inputs come from a seeded PRNG: a failure names its parser and input and reproduces.
 */

/** per-input bound: the inputs are ≤ 64 KB and take a few ms; the old code took seconds to minutes */
const BOUND_MS = 1500;

type Parse = (text: string) => ParseResult<unknown>;

/** Every text parser, with the repository fixtures of its own output. */
const PARSERS: { name: string; parse: Parse; fixtures: string[] }[] = [
  { name: 'parseIpNetns', parse: parsers.parseIpNetns, fixtures: ['parse/fixtures/ip-netns.txt'] },
  { name: 'parseIpAddr', parse: parsers.parseIpAddr, fixtures: ['parse/fixtures/ip-addr-netns.txt', 'parse/fixtures/ip-d-addr-netns.txt', 'parse/fixtures/ip-o-addr-netns.txt'] },
  { name: 'parseIpAddrJson', parse: parsers.parseIpAddrJson, fixtures: ['parse/fixtures/ip-j-addr-netns.json', 'parse/fixtures/ip-d-j-addr-netns.json'] },
  { name: 'parseIpRoute', parse: parsers.parseIpRoute, fixtures: ['parse/fixtures/ip-route-table-all-netns.txt', 'parse/fixtures/ip-6-route-netns.txt'] },
  { name: 'parseIpRouteJson', parse: parsers.parseIpRouteJson, fixtures: ['parse/fixtures/ip-j-route-table-all-netns.json', 'parse/fixtures/ip-j-6-route-netns.json'] },
  { name: 'parseIpRule', parse: parsers.parseIpRule, fixtures: ['parse/fixtures/ip-rule-netns.txt'] },
  { name: 'parseIpRuleJson', parse: parsers.parseIpRuleJson, fixtures: ['parse/fixtures/ip-j-rule-netns.json'] },
  { name: 'parseIpNeigh', parse: parsers.parseIpNeigh, fixtures: ['parse/fixtures/ip-neigh-netns.txt'] },
  { name: 'parseIpNeighJson', parse: parsers.parseIpNeighJson, fixtures: ['parse/fixtures/ip-j-neigh-netns.json'] },
  { name: 'parseArpN', parse: parsers.parseArpN, fixtures: ['parse/fixtures/ip-neigh-netns.txt'] },
  { name: 'parseIptablesSave', parse: parsers.parseIptablesSave, fixtures: ['parse/fixtures/iptables-save-netns.txt'] },
  { name: 'parseIptablesS', parse: (t) => parsers.parseIptablesS(t), fixtures: ['parse/fixtures/iptables-S-t-nat-netns.txt'] },
  { name: 'parseIptablesList', parse: (t) => parsers.parseIptablesList(t), fixtures: ['parse/fixtures/iptables-L-n-netns.txt', 'parse/fixtures/iptables-L-t-nat-n-v-line-numbers-netns.txt'] },
  { name: 'parseOvsVsctlShow', parse: parsers.parseOvsVsctlShow, fixtures: ['parse/fixtures/ovs-vsctl-show.txt'] },
  { name: 'parseOvsOfctlDumpFlows', parse: parsers.parseOvsOfctlDumpFlows, fixtures: ['parse/fixtures/ovs-ofctl-dump-flows-br-int.txt', 'parse/fixtures/ovs-ofctl-dump-flows-of13-br-int.txt'] },
  { name: 'parseOvsAppctlFdbShow', parse: parsers.parseOvsAppctlFdbShow, fixtures: ['parse/fixtures/ovs-appctl-fdb-show-br-int.txt'] },
  { name: 'parseKeepalivedConf', parse: parsers.parseKeepalivedConf, fixtures: ['parse/fixtures/keepalived-conf-neutron-functional-template.txt'] },
  { name: 'parseKeepalivedState', parse: parsers.parseKeepalivedState, fixtures: ['parse/fixtures/keepalived-conf-neutron-functional-template.txt'] },
  { name: 'parseSysctl', parse: parsers.parseSysctl, fixtures: ['parse/fixtures/sysctl-a-netns.txt'] },
  { name: 'parseOpenstackTable', parse: parsers.parseOpenstackTable, fixtures: ['parse/fixtures/ovs-vsctl-show.txt'] },
  // ML2/OVN (issue 11): real ovn-nbctl/ovn-sbctl 23.03 and ovs-vsctl JSON
  { name: 'parseOvnNb', parse: parsers.parseOvnNb, fixtures: ['fixtures/ovn/healthy/nb.txt', 'fixtures/ovn/lab/nb.txt'] },
  { name: 'parseOvnSb', parse: parsers.parseOvnSb, fixtures: ['fixtures/ovn/healthy/sb.txt'] },
  { name: 'parseOvnChassis', parse: parsers.parseOvnChassis, fixtures: ['fixtures/ovn/chassis/gw1-bfd-up.txt', 'fixtures/ovn/lab/cmp1-chassis.txt'] },
  { name: 'parseOvnControllerStatus', parse: parsers.parseOvnControllerStatus, fixtures: ['fixtures/ovn/chassis/cmp1-no-vswitchd.txt'] },
  // nova-network share_address (issue 9): ebtables-save and ebtables -L from the nova-multihost-shared lab
  { name: 'parseEbtables', parse: parsers.parseEbtables, fixtures: ['parse/fixtures/ebtables-save-nova-shared.txt', 'parse/fixtures/ebtables-L-nova-shared.txt'] },
  {
    name: 'parseOvsDbJson',
    parse: (t) => parsers.parseOvsDbJson(t, t, t),
    fixtures: ['parse/fixtures/ovs-vsctl-list-bridge.json', 'parse/fixtures/ovs-vsctl-list-port.json', 'parse/fixtures/ovs-vsctl-list-interface.json'],
  },
  {
    name: 'parseTcpdumpText',
    parse: parseTcpdumpText,
    fixtures: ['capture/fixtures/garps.nne.txt', 'capture/fixtures/garps.v-en.txt', 'capture/fixtures/garps.vvv-n.txt', 'hardening/fixtures/tcpdump-4.9-ne-vlan-arp.txt'],
  },
];

const ALL_LINES = [...new Set(PARSERS.flatMap((p) => p.fixtures.flatMap((f) => fixtureBody(f).split('\n'))))];

/** Characters and short strings the audit found regexes and splitters trip on. */
const UNITS = ['@', ':', 'u@h:', 'a@', '@x ', '(', '(tos ', '(x)', ')', ' ', '\t', ' x', '/* ', '"', '\\"', '\\', '{', '[', '[{', '=', ', ', '.', '...', '0.', ' at ', 'addrs: ', '| ', 'a|', '+-', '<', '#', '$ ', 'a=', '0x', '\u0000', '\r', '\u2028', '\ufffd', 'é'];
const SUFFIXES = ['', 'x', '\u2028x', '\rx', ' $ x', ')'];
const ALPHABET = [...' \t\n\r{}[]()"\'!#:,=/.-_@<>|\\*+0123456789abcdefxyzABCDEF…é\u0000\u2028\ud800\ufffd'];

function randomText(r: () => number, lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    let s = '';
    const len = Math.floor(r() * 100);
    for (let k = 0; k < len; k++) s += pick(r, ALPHABET);
    out.push(s);
  }
  return out.join(r() < 0.5 ? '\n' : '\r\n');
}

/** bytes that are not UTF-8 (lone continuation bytes, overlongs, surrogates), decoded as a node would read them */
function invalidUtf8(r: () => number, length: number): string {
  const bad = [0x80, 0xbf, 0xc0, 0xc1, 0xf5, 0xff, 0xed, 0xa0, 0xe0, 0x0a, 0x20, 0x3a, 0x40];
  const b = Buffer.alloc(length);
  for (let i = 0; i < length; i++) b[i] = r() < 0.5 ? pick(r, bad) : 0x20 + Math.floor(r() * 95);
  return b.toString('utf8');
}

function mutate(r: () => number, text: string): string {
  const chars = [...text];
  const n = 1 + Math.floor(r() * 8);
  for (let i = 0; i < n && chars.length > 0; i++) {
    const at = Math.floor(r() * chars.length);
    const op = r();
    if (op < 0.4) chars[at] = pick(r, ALPHABET);
    else if (op < 0.7) chars.splice(at, 1);
    else chars.splice(at, 0, pick(r, UNITS).repeat(1 + Math.floor(r() * 50)));
  }
  return chars.join('');
}

function nested(depth: number, open: string, close: string, inner = '1'): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

/** The inputs one parser gets (all ≤ 64 KB). */
function inputsFor(name: string, fixtures: string[]): string[] {
  const r = rng(seedOf(name));
  const own = fixtures.map(fixtureBody);
  const ownLines = own.flatMap((t) => t.split('\n')).filter((l) => l.trim() !== '');
  const inputs = ['', '\n', '\n\n', '\u0000', '\u0000\n\u0000', '\ufeff', '{', '[', 'null', '[1,2]', '{"data":1}', '}}}}', '"unterminated', '-A', '*nat\n-A'];
  for (let i = 0; i < 30; i++) inputs.push(randomText(r, 1 + Math.floor(r() * 30)));
  for (let i = 0; i < 10; i++) inputs.push(invalidUtf8(r, 1 + Math.floor(r() * 2000)));
  for (const t of own) {
    for (let i = 0; i < 15; i++) inputs.push(t.slice(0, Math.floor(r() * (t.length + 1)))); // truncated anywhere
    for (let i = 0; i < 15; i++) inputs.push(mutate(r, t));
    inputs.push(t.replace(/\n/g, '\r\n'), t.replace(/ /g, '\u0000'), t.replace(/\n/g, '\u2028'));
  }
  for (let i = 0; i < 20; i++) {
    const start = Math.floor(r() * ALL_LINES.length);
    inputs.push(ALL_LINES.slice(start, start + 1 + Math.floor(r() * 40)).join('\n')); // other commands' output
  }
  // huge lines: a real line's first words, then one unit repeated to 32K characters
  for (let i = 0; i < 24; i++) {
    const line = pick(r, ownLines.length > 0 ? ownLines : ALL_LINES);
    const words = line.split(/(?<=[\s,:=(])/);
    const prefix = words.slice(0, Math.floor(r() * Math.min(4, words.length + 1))).join('');
    inputs.push(hugeLine(prefix, pick(r, UNITS), pick(r, SUFFIXES), 32768));
  }
  // deep nesting, as JSON and as text
  for (const depth of [1000, 20000]) {
    inputs.push(`[${nested(depth, '[', ']')}]`, `[{"dst":"x","priority":1,"ifname":"x","a":${nested(depth, '{"a":', '}')}}]`);
    inputs.push(`[{"x":${nested(depth, '[', ']')}}]`, `{"headings":["name","options"],"data":[["n",${nested(depth, '["set",[', ']]', '"x"')}]]}`);
    inputs.push(nested(depth, '{', '}', 'x'), nested(depth, '(', ')', 'tos 0'));
  }
  return inputs;
}

function checkResult(name: string, input: string, result: ParseResult<unknown>): void {
  const lineCount = Math.max(1, input.split('\n').length);
  expect(result, name).to.have.keys(['value', 'warnings']);
  for (const w of result.warnings) {
    expect(Number.isInteger(w.line) && w.line >= 1 && w.line <= lineCount, `${name}: warning line ${w.line} of ${lineCount}`).to.equal(true);
  }
  JSON.stringify(result.value); // the value can be written to a run file
}

const show = (input: string): string => JSON.stringify(input.slice(0, 60)) + (input.length > 60 ? `… (${input.length} chars)` : '');

describe('hardening: every parser survives hostile output, in bounded and linear time (issue 8)', function () {
  this.timeout(180_000);

  it('the table covers every parser exported by src/parse/index.ts', () => {
    const exported = Object.keys(parsers).filter((k) => k.startsWith('parse') && typeof (parsers as Record<string, unknown>)[k] === 'function');
    expect(exported.filter((k) => !PARSERS.some((p) => p.name === k))).to.deep.equal([]);
  });

  for (const { name, parse, fixtures } of PARSERS) {
    it(`${name}: random, truncated, mutated, huge-line, nested, NUL and invalid UTF-8 input → a result, never an exception, each within ${BOUND_MS} ms`, () => {
      for (const input of inputsFor(name, fixtures)) {
        let result: ParseResult<unknown> | undefined;
        expectFastAndTotal(`${name}(${show(input)})`, BOUND_MS, () => (result = parse(input)));
        checkResult(name, input, result as ParseResult<unknown>);
      }
    });

    it(`${name}: linear time — many real lines, and one huge line of each kind the audit found`, () => {
      const r = rng(seedOf(`${name}/linear`));
      const own = fixtures.map(fixtureBody).join('\n');
      const ownLines = own.split('\n').filter((l) => l.trim() !== '');
      expectLinear(`${name} on its own output repeated`, (n) => own.repeat(Math.max(1, Math.floor(n / own.length))), parse, 1 << 14, { maxSize: 1 << 18 });
      const shapes = [
        { prefix: '', unit: 'u@h:', suffix: '' },
        { prefix: '1: ', unit: '@', suffix: 'x' },
        { prefix: '00:00:00.000000 IP (tos ', unit: '(', suffix: '' },
        { prefix: pick(r, ownLines).slice(0, 12), unit: pick(r, UNITS), suffix: pick(r, SUFFIXES) },
      ];
      for (const s of shapes) {
        expectLinear(`${name} on ${show(s.prefix)} + ${show(s.unit)}×n + ${show(s.suffix)}`, (n) => hugeLine(s.prefix, s.unit, s.suffix, n), parse, 1 << 13, { maxSize: 1 << 18 });
      }
    });
  }
});

describe('hardening: the capture path survives hostile captures (issue 8)', function () {
  this.timeout(180_000);
  const pcap = readTestBytes('capture/fixtures/garps.pcap');

  /** frames → classification, verdict and the table, as `garp watch` runs them */
  const analyze = (frames: CapturedFrame[]): void => {
    const a = analyzeFrames(frames, { watchedIps: ['203.0.113.10'], expectation: { ip: '203.0.113.10', mac: 'fa:16:3e:11:22:33', pattern: 'any', deadlineMs: 10_000 }, final: true });
    renderGarpTable(a);
  };

  it('pcap decoder, frame decoder and analysis: truncated, bit-flipped and random pcaps, split anywhere', () => {
    const r = rng(seedOf('pcap'));
    const inputs: Buffer[] = [Buffer.alloc(0), pcap.subarray(0, 23), pcap.subarray(0, 24), pcap.subarray(0, 40)];
    for (let i = 0; i < 60; i++) inputs.push(pcap.subarray(0, Math.floor(r() * pcap.length)));
    for (let i = 0; i < 120; i++) {
      const b = Buffer.from(pcap);
      const flips = 1 + Math.floor(r() * 20);
      for (let k = 0; k < flips; k++) b[24 + Math.floor(r() * (b.length - 24))] = Math.floor(r() * 256);
      if (r() < 0.2) b.writeUInt32LE(Math.floor(r() * 0xffffffff), 20); // link type
      inputs.push(b);
    }
    for (let i = 0; i < 20; i++) {
      const b = Buffer.alloc(24 + Math.floor(r() * 4000));
      for (let k = 24; k < b.length; k++) b[k] = Math.floor(r() * 256);
      pcap.copy(b, 0, 0, 24);
      inputs.push(b);
    }
    for (const buf of inputs) {
      expectFastAndTotal(`pcap of ${buf.length} bytes`, BOUND_MS, () => {
        const whole = decodePcapBuffer(buf);
        const frames = whole.records.map(decodeRecord);
        analyze(frames);
        // the same bytes split anywhere give the same records
        const d = new PcapStreamDecoder();
        let n = 0;
        for (let off = 0; off < buf.length; ) {
          const len = 1 + Math.floor(r() * 300);
          n += d.push(buf.subarray(off, off + len)).length;
          off += len;
        }
        d.end();
        expect(n).to.equal(whole.records.length);
      });
    }
  });

  it('frame decoder: random bytes on every link type never throw', () => {
    const r = rng(seedOf('frames'));
    for (let i = 0; i < 3000; i++) {
      const data = new Uint8Array(Math.floor(r() * 120));
      for (let k = 0; k < data.length; k++) data[k] = Math.floor(r() * 256);
      if (data.length > 13 && r() < 0.7) [data[12], data[13]] = pick(r, [[0x08, 0x06], [0x81, 0x00], [0x88, 0xa8], [0x08, 0x00], [0x86, 0xdd]]);
      const linktype = pick(r, [1, 113, 276, 0, 12345]);
      expect(() => decodeFrame(data, linktype, Math.floor(r() * 2 ** 32), Math.floor(r() * 1e6))).not.to.throw();
    }
  });

  it('tcpdump text → frames → analysis and table: hostile text within the time bound', () => {
    for (const input of inputsFor('parseTcpdumpText/analysis', PARSERS[PARSERS.length - 1].fixtures)) {
      expectFastAndTotal(`garp watch --text ${show(input)}`, BOUND_MS, () => analyze(parseTcpdumpText(input).value));
    }
  });

  it('analysis and table are linear in the number of frames', () => {
    const frames = decodePcapBuffer(pcap).records.map(decodeRecord);
    const many = (n: number): CapturedFrame[] => Array.from({ length: n }, (_, i) => ({ ...frames[i % frames.length], ts: frames[0].ts + i / 1000 }));
    // sizes in characters for the helper: one frame per 100
    expectLinear('analyzeFrames + renderGarpTable', (n) => String(n), (n) => analyze(many(Math.floor(Number(n) / 100))), 100 * 2000, { maxSize: 100 * 16000 });
    expectLinear('parseTcpdumpText of a long capture', (n) => fixtureBody('capture/fixtures/garps.v-en.txt').repeat(Math.max(1, Math.floor(n / 4000))), (t) => analyze(parseTcpdumpText(t).value), 1 << 16, { maxSize: 1 << 22 });
  });
});
