import { expect } from 'chai';
import { Command } from 'commander';
import { execSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { registerGarpCommand, runGarpWatch, type GarpWatchOptions } from '../../src/cli/commands/garp';
import { parseDuration } from '../../src/cli/options';
import { renderGarpHeader, renderGarpRow } from '../../src/capture/render-garp';
import { HaprobeError } from '../../src/errors';
import { corpusPath } from '../helpers/corpus';
import { fixture } from './helpers/pcap-variants';
import { ShTransport } from './helpers/local-transport';

const base: GarpWatchOptions = { duration: '60s', format: 'table', pattern: 'any', deadline: '10s' };

async function run(opts: Partial<GarpWatchOptions>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runGarpWatch({ ...base, ...opts }, { write: (t) => (out += t), warn: (t) => (err += t) });
  return { code, out, err };
}

describe('cli garp watch (offline)', () => {
  it('--pcap: table of events and the anomalies of the real capture, exit 1', async () => {
    const r = await run({ pcap: fixture('garps.pcap'), watchIp: ['203.0.113.31'] });
    expect(r.code).to.equal(1);
    expect(r.out).to.match(/garp-request \(arping-U\)/);
    // who sent "who-has .31 tell .10" is not known without --expect-mac: a request, not an ERROR
    expect(r.out).not.to.match(/not-garp/);
    const known = await run({ pcap: fixture('garps.pcap'), expectIp: '203.0.113.31', expectMac: 'fa:16:3e:11:22:33' });
    expect(known.out).to.match(/FAIL \(wrong-sender-ip\)/);
    expect(r.out).to.match(/ERROR near-miss: almost a G-ARP for 203\.0\.113\.32/);
    expect(r.out).to.match(/WARNING malformed/);
  });

  it('table: compact rows, one line per frame, no box and no rule between frames (issue 13)', async () => {
    const r = await run({ pcap: fixture('garps.pcap'), format: 'json' });
    const events = (JSON.parse(r.out) as { events: unknown[] }).events.length;
    const t = await run({ pcap: fixture('garps.pcap') });
    const lines = t.out.split('\n');
    expect(lines[0]).to.match(/^time\s+node\s+kind\s+IP\s+MAC\s+device\s+detail$/);
    const rows = lines.slice(1, lines.indexOf(''));
    expect(rows).to.have.length(events);
    expect(rows.every((l) => /^\d\d:\d\d:\d\d\.\d{6} /.test(l)), 'every row starts with its time').to.equal(true);
    expect(t.out).to.not.match(/[─│┌┐└┘├┤┼]/);
  });

  it('a live row is the same line as the offline one, padded to fixed widths (issue 13)', () => {
    const e = { ts: 3600.5, node: 'net1', device: 'br-ex', ip: '203.0.113.10', mac: 'fa:16:3e:11:22:33', kind: 'garp-request' as const, shape: 'arping-U' as const, detail: 'who-has 203.0.113.10→203.0.113.10' };
    expect(renderGarpRow(e)).to.equal('01:00:00.500000  net1    garp-request (arping-U)  203.0.113.10     fa:16:3e:11:22:33  br-ex       who-has 203.0.113.10→203.0.113.10');
    expect(renderGarpHeader().split(/\s+/)).to.deep.equal(['time', 'node', 'kind', 'IP', 'MAC', 'device', 'detail']);
    expect(renderGarpRow({ ...e, detail: 'a\u001b[2Jb' })).to.include('a\\x1b[2Jb');
  });

  it('--format json with a verdict (--expect-ip/--expect-mac/--pattern)', async () => {
    const r = await run({
      pcap: fixture('garps.pcap'),
      format: 'json',
      expectIp: '203.0.113.10',
      expectMac: 'FA:16:3E:11:22:33',
      pattern: 'neutron-pike+',
    });
    const j = JSON.parse(r.out);
    expect(j.verdict).to.include({ status: 'PASS', counted: 6, pattern: 'neutron-pike+' });
    expect(j.events.length).to.equal(23); // the htype-6 ARP is not an ARP event
    expect(j.frames).to.equal(24);
  });

  it('a VRRP-only capture without anomalies exits 0 (corpus pcap)', async () => {
    const r = await run({ pcap: corpusPath('tcpdump/pcap/tcpdump-tests-vrrp.pcap') });
    expect(r.code).to.equal(0);
    expect(r.out).to.match(/165 frame\(s\), no anomaly/);
  });

  it('--text: tcpdump text output, FAIL verdict → exit 1', async () => {
    const r = await run({ text: fixture('garps.nne.txt'), expectIp: '203.0.113.10', expectMac: 'fa:16:3e:aa:aa:aa' });
    expect(r.code).to.equal(1);
    expect(r.out).to.match(/verdict 203\.0\.113\.10 fa:16:3e:aa:aa:aa any: FAIL \(wrong-mac\)/);
  });

  it('bad input: HaprobeError code capture with where = the file (exit 2 via main)', async () => {
    const tmp = path.join(os.tmpdir(), `hpcap-bad-${process.pid}.pcap`);
    fs.writeFileSync(tmp, 'definitely not a capture');
    try {
      for (const opts of [{ pcap: tmp }, { text: tmp }, { pcap: '/nonexistent/x.pcap' }]) {
        const e = await run(opts).then(() => undefined, (x: unknown) => x);
        expect(e).to.be.instanceOf(HaprobeError);
        expect((e as HaprobeError).code).to.equal('capture');
        expect((e as HaprobeError).where).to.equal(Object.values(opts)[0]);
      }
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    const usage = await run({}).then(() => undefined, (x: unknown) => x);
    expect((usage as HaprobeError).code).to.equal('usage');
    expect(() => parseDuration('soon', '--duration')).to.throw(/bad duration/);
    expect(parseDuration('2m', 'x')).to.equal(120000);
    expect(parseDuration('500ms', 'x')).to.equal(500);
  });

  it('registers `garp watch` and `garp verify` on a commander program', () => {
    const program = new Command('haprobe');
    const garp = registerGarpCommand(program);
    expect(garp.name()).to.equal('garp');
    expect(garp.commands.map((c) => c.name())).to.deep.equal(['watch', 'verify']);
  });
});

describe('cli garp watch --inventory (live over a Transport) @lab', function () {
  this.timeout(30000);
  const ns = `hpcapC${process.pid % 100000}`;
  before(() => {
    execSync(`ip netns add ${ns}; ip -n ${ns} link add br-ex type veth peer name peer0; ip -n ${ns} link set peer0 up; ip -n ${ns} link set br-ex address fa:16:3e:77:77:77 up; ip -n ${ns} addr add 203.0.113.50/24 dev br-ex`, { stdio: 'ignore' });
  });
  after(() => execSync(`ip netns del ${ns}`, { stdio: 'ignore' }));

  it('captures on br-ex of the selected node for --duration and judges what it saw', async () => {
    const node = { name: 'net1', address: '127.0.0.1', port: 22, user: 'root', roles: ['network' as const], sudo: false };
    let out = '';
    const sender = setTimeout(() => {
      execSync(`ip netns exec ${ns} arping -U -I br-ex -c 1 -w 1 203.0.113.50`, { stdio: 'ignore' });
    }, 1200);
    const code = await runGarpWatch(
      { ...base, inventory: 'inv.yaml', node: ['net1'], on: ['br-ex'], duration: '3s', format: 'json', expectIp: '203.0.113.50', expectMac: 'fa:16:3e:77:77:77' },
      {
        loadInventory: () => ({ source: 'inv.yaml', knownHosts: false, nodes: [node] }),
        selectNodes: (inv) => inv.nodes,
        // the node's commands run inside the namespace, as they would on the node over SSH
        createTransport: () => wrapInNetns(ns),
        write: (t) => (out += t),
        warn: () => undefined,
      },
    );
    clearTimeout(sender);
    const j = JSON.parse(out);
    expect(j.sources[0]).to.include({ node: 'net1', device: 'br-ex' });
    expect(j.verdict.status, JSON.stringify(j.verdict)).to.equal('PASS');
    expect(code).to.equal(0);
  });
});

function wrapInNetns(ns: string): ShTransport {
  const t = new ShTransport('net1');
  const stream = t.stream.bind(t);
  t.stream = (command, options) => stream(`ip netns exec ${ns} ${command}`, options);
  return t;
}
