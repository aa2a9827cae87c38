import { expect } from 'chai';
import { execFile, execFileSync, execSync } from 'child_process';
import { promisify } from 'util';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildCaptureCommand, parseCaptureSpec, startLiveCapture } from '../../src/capture/live';
import { GarpJudge } from '../../src/capture/garp-judge';
import { decodePcapBuffer } from '../../src/capture/pcap';
import { decodeRecord } from '../../src/capture/frame';
import { parseTcpdumpText } from '../../src/capture/tcpdump-text';
import type { CapturedFrame } from '../../src/capture/types';
import type { GarpVerdict } from '../../src/capture/verdict';
import { ShTransport } from './helpers/local-transport';
import { compareFrames } from './helpers/compare-frames';
import { fixture } from './helpers/pcap-variants';

describe('capture/live: command building', () => {
  it('builds the tcpdump command, in a namespace or not', () => {
    expect(buildCaptureCommand(parseCaptureSpec('br-ex'))).to.equal(
      "tcpdump -U --immediate-mode -w - -s 128 -i br-ex -- 'arp or (ip proto 112) or (vlan and (arp or ip proto 112 or (vlan and (arp or ip proto 112))))'",
    );
    expect(buildCaptureCommand(parseCaptureSpec('ns:qrouter-1a2b:qg-1234'))).to.match(/^ip netns exec qrouter-1a2b tcpdump -U --immediate-mode -w - -s 128 -i qg-1234 -- '/);
  });

  it('accepts any legal Linux name and quotes it (issue 8), refuses what Linux refuses', () => {
    expect(buildCaptureCommand(parseCaptureSpec('vlan#10'))).to.match(/^tcpdump .* -i 'vlan#10' -- /);
    expect(buildCaptureCommand(parseCaptureSpec('br-ex;reboot'))).to.match(/ -i 'br-ex;reboot' -- /);
    expect(() => parseCaptureSpec('a/b')).to.throw(/bad name/);
    expect(() => parseCaptureSpec('ns:..:qg-1')).to.throw(/bad name/);
    expect(() => parseCaptureSpec('ns:a:b:c')).to.throw(/bad capture point/);
  });
});

describe('capture/live: tcpdump over a Transport in two namespaces @lab', function () {
  this.timeout(60000);
  const sfx = `l${process.pid % 100000}`;
  const A = `hpcapA${sfx}`;
  const B = `hpcapB${sfx}`;
  const sh = (cmd: string): void => void execSync(cmd, { stdio: 'ignore' });

  before(() => {
    sh(`ip netns add ${A}; ip netns add ${B}`);
    sh(`ip link add vA${sfx} netns ${A} type veth peer name vB${sfx} netns ${B}`);
    sh(`ip -n ${A} link set vA${sfx} address fa:16:3e:11:22:33 name veth-a; ip -n ${B} link set vB${sfx} name veth-b`);
    sh(`ip -n ${A} addr add 203.0.113.10/24 dev veth-a; ip -n ${A} link set veth-a up; ip -n ${B} link set veth-b up`);
  });
  after(() => {
    for (const ns of [A, B]) {
      try {
        sh(`ip netns del ${ns}`);
      } catch {
        /* already gone */
      }
    }
  });

  it('streams frames from tcpdump -U -w - and the judge gives a verdict within milliseconds of capture', async () => {
    const frames: CapturedFrame[] = [];
    const lagMs: number[] = [];
    const verdicts: GarpVerdict[] = [];
    const judge = new GarpJudge({
      expectations: [{ ip: '203.0.113.10', mac: 'fa:16:3e:11:22:33', pattern: 'neutron-kilo-newton', deadlineMs: 5000 }],
      onVerdict: (v) => verdicts.push(v),
    });
    const transport = new ShTransport('net1');
    const cap = startLiveCapture({
      sources: [{ node: 'net1', transport, target: { namespace: B, device: 'veth-b' } }],
      onFrame: (f) => {
        lagMs.push(Date.now() - f.ts * 1000);
        frames.push(f);
        judge.push(f);
      },
    });
    try {
      await cap.ready;
      // async: the event loop must run while arping sends, to see frames as they come
      await promisify(execFile)('ip', ['netns', 'exec', A, 'arping', '-A', '-I', 'veth-a', '-c', '3', '-w', '4', '203.0.113.10']);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await cap.stop();
    }
    const results = await cap.done;
    expect(results[0].failure).to.equal(undefined);
    expect(results[0].warnings).to.deep.equal([]);
    const arp = frames.filter((f) => f.kind === 'arp');
    expect(arp).to.have.length(3);
    expect(arp[0]).to.include({ node: 'net1', device: `ns:${B}:veth-b`, ethSrc: 'fa:16:3e:11:22:33' });
    expect(verdicts.map((v) => v.status)).to.deep.equal(['INCONCLUSIVE', 'PASS']);
    expect(Math.max(...lagMs)).to.be.below(250);
    expect(process.listenerCount('SIGINT')).to.equal(0);
  });

  it('a missing or down device is an error in tcpdump\'s words (not a crash, not an empty capture); a running one is not', async () => {
    sh(`ip -n ${B} link add down0 type veth peer name down1`);
    const cap = startLiveCapture({
      sources: [
        { node: 'net1', transport: new ShTransport('net1'), target: { namespace: B, device: 'nope0' } },
        { node: 'net1', transport: new ShTransport('net1'), target: { namespace: B, device: 'down0' } },
        { node: 'net1', transport: new ShTransport('net1'), target: { namespace: B, device: 'veth-b' } },
      ],
      onFrame: () => undefined,
    });
    await cap.ready;
    await cap.stop();
    const [missing, down, up] = await cap.done;
    expect(missing.frames).to.equal(0);
    expect(missing.exitCode).to.not.equal(0);
    expect(missing.warnings.join('\n')).to.match(/nope0/);
    expect(missing.error).to.match(/^net1 ns:.*:nope0: capture did not start: tcpdump: nope0: No such device exists/);
    expect(down.error).to.match(/down0: capture did not start: tcpdump: down0: That device is not up/);
    expect(up.listening).to.equal(true);
    expect(up.error).to.equal(undefined);
    expect(up.warnings).to.deep.equal([]);
  });
});

describe('capture/differential: haprobe vs tcpdump on a fresh capture made here @lab', function () {
  this.timeout(90000);
  const sfx = `d${process.pid % 100000}`;
  let dir = '';
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hpcap-'))));
  after(() => {
    for (const ns of [`hpcapA${sfx}`, `hpcapB${sfx}`]) {
      try {
        execSync(`ip netns del ${ns}`, { stdio: 'ignore' });
      } catch {
        /* cleaned by the script */
      }
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('arping -U/-A, probe, request/reply and hand-built shapes decode identically (time, MACs, opcode, addresses)', () => {
    execFileSync('sh', [fixture('capture-garps.sh'), dir, sfx], { stdio: 'ignore' });
    const pcap = decodePcapBuffer(fs.readFileSync(path.join(dir, 'garps.pcap')));
    expect(pcap.warnings).to.deep.equal([]);
    const frames = pcap.records.map(decodeRecord);
    expect(frames.length).to.equal(24);
    // tcpdump -tt -nn -e -r (epoch) and -nn -e -r (time of day), each through haprobe's text parser
    for (const args of [['-tt', '-nn', '-e'], ['-nn', '-e'], ['-v', '-e', '-n']]) {
      const text = execFileSync('tcpdump', [...args, '-r', path.join(dir, 'garps.pcap')], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
      const parsed = parseTcpdumpText(text);
      expect(parsed.warnings, args.join(' ')).to.deep.equal([]);
      expect(compareFrames(frames, parsed.value), args.join(' ')).to.deep.equal([]);
    }
  });
});
