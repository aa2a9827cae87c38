import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalTransport } from '../../src/transport/local-transport';
import { RecordingTransport } from '../../src/transport/recording-transport';
import { ReplayTransport } from '../../src/transport/replay-transport';

function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('transport: LocalTransport', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haprobe-local-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exec: stdout, stderr, exit code, stdin', async () => {
    const t = new LocalTransport();
    const r = await t.exec('cat; echo e >&2; exit 4', { stdin: 'in\n' });
    expect(r).to.include({ stdout: 'in\n', stderr: 'e\n', exitCode: 4, command: 'cat; echo e >&2; exit 4' });
    expect(r.failure).to.equal(undefined);
    const slow = await t.exec('sleep 0.4');
    expect(slow.runningAtMs!, 'runningAtMs: the command started, before it ended').to.be.within(Date.parse(slow.startedAt), Date.parse(slow.startedAt) + slow.durationMs - 300);
  });

  it('timeout kills the whole process group', async () => {
    const t = new LocalTransport({ stopGraceMs: 500 });
    const pidFile = path.join(dir, 'child.pid');
    const r = await t.exec(`sleep 30 & echo $! > ${pidFile}; wait`, { timeoutMs: 300 });
    expect(r.failure?.reason).to.equal('timeout');
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    await new Promise((res) => setTimeout(res, 200));
    expect(alive(pid)).to.equal(false);
  });

  it('stream delivers chunks and stop() ends the command', async () => {
    const t = new LocalTransport({ stopGraceMs: 500 });
    const chunks: Buffer[] = [];
    const h = t.stream('while :; do echo tick; sleep 0.05; done', { onStdout: (b) => chunks.push(b) });
    await new Promise((res) => setTimeout(res, 300));
    await h.stop();
    const r = await h.done;
    expect(Buffer.concat(chunks).toString()).to.match(/^tick\ntick\n/);
    expect(r.stdout).to.equal('');
    expect(r.failure).to.equal(undefined);
  });
});

describe('transport: RecordingTransport → ReplayTransport', () => {
  it('replays what was recorded and refuses what was not', async () => {
    const rec = new RecordingTransport(new LocalTransport({ node: 'net1' }));
    await rec.exec('echo one');
    await rec.exec('exit 2');
    const replay = new ReplayTransport('net1', rec.recording);
    const one = await replay.exec('echo one');
    expect(one).to.include({ stdout: 'one\n', exitCode: 0, command: 'echo one' });
    expect((await replay.exec('exit 2')).exitCode).to.equal(2);
    const missing = await replay.exec('echo two');
    expect(missing.failure?.reason).to.equal('command');
    const chunks: string[] = [];
    const h = replay.stream('echo one', { onStdout: (b) => chunks.push(b.toString()) });
    expect((await h.done).exitCode).to.equal(0);
    expect(chunks).to.deep.equal(['one\n']);
  });

  it('replays a node that was unreachable', async () => {
    const replay = new ReplayTransport('net2', {}, { reason: 'auth', message: 'all authentication methods failed' });
    expect((await replay.connect())?.reason).to.equal('auth');
    expect((await replay.exec('true')).failure?.reason).to.equal('auth');
  });
});
