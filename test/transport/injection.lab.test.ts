import { expect } from 'chai';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { parseCaptureSpec, startLiveCapture } from '../../src/capture/live';
import type { CapturedFrame } from '../../src/capture/types';
import { LocalTransport } from '../../src/transport/local-transport';

/**
 * Issue 8: `vlan#10` is a legal Linux device name. Before, the capture builder refused it inside
 * an async source and the process died of an unhandled rejection; now it is quoted and captured.
 * Real namespaces, a real veth pair named `vlan#10` / `x*y` and the real tcpdump.
 */
describe('hardening: capture on a device named vlan#10, for real @lab', function () {
  this.timeout(60_000);
  const ns = `hpinj${process.pid % 100000}`;
  const ip = (...args: string[]): void => void execFileSync('ip', args, { stdio: 'ignore' });

  before(() => {
    ip('netns', 'add', ns);
    ip('-n', ns, 'link', 'add', 'vlan#10', 'type', 'veth', 'peer', 'name', 'x*y');
    ip('-n', ns, 'link', 'set', 'dev', 'x*y', 'address', 'fa:16:3e:10:10:10', 'up');
    ip('-n', ns, 'link', 'set', 'dev', 'vlan#10', 'up');
    ip('-n', ns, 'addr', 'add', '203.0.113.77/24', 'dev', 'x*y');
  });
  after(() => {
    try {
      ip('netns', 'del', ns);
    } catch {
      /* already gone */
    }
  });

  it('--on ns:NS:vlan#10 parses, tcpdump starts and the frames arrive', async () => {
    const frames: CapturedFrame[] = [];
    const transport = new LocalTransport({ node: 'here' });
    const cap = startLiveCapture({ handleSigint: false, sources: [{ node: 'here', transport, target: parseCaptureSpec(`ns:${ns}:vlan#10`) }], onFrame: (f) => frames.push(f) });
    try {
      await cap.ready;
      await promisify(execFile)('ip', ['netns', 'exec', ns, 'arping', '-A', '-I', 'x*y', '-c', '2', '-w', '3', '203.0.113.77']);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await cap.stop();
    }
    const [r] = await cap.done;
    expect(r.failure).to.equal(undefined);
    expect(r.command).to.include(`-i 'vlan#10' --`);
    expect(frames.filter((f) => f.kind === 'arp' && f.ethSrc === 'fa:16:3e:10:10:10')).to.have.length(2);
    expect(frames[0].device).to.equal(`ns:${ns}:vlan#10`);
  });
});
