import { expect } from 'chai';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const BIN = path.resolve(__dirname, '../../src/cli/bin.js');
const haprobe = (args: string[], opts: { cwd?: string } = {}): SpawnSyncReturns<string> =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000, ...opts });

/** a YAML "billion laughs": 9^8 strings from a few hundred bytes */
const ALIAS_BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`),
  'nodes: *h',
  '',
].join('\n');

/** one line on stderr, no stack trace */
function expectOneLine(r: SpawnSyncReturns<string>, message: RegExp): void {
  expect(r.stderr, r.stderr).to.match(message);
  expect(r.stderr, r.stderr).to.not.match(/\n\s+at |internal error/);
}

describe('cli hardening (issue 8): bad flags and files are exit 2 before collecting', () => {
  let dir: string;
  let inv: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hp-harden-'));
    inv = path.join(dir, 'inventory.yaml');
    // port 1 on loopback: refused at once, so a run that does start ends in ~1 s (exit 3)
    fs.writeFileSync(inv, 'knownHosts: false\nnodes:\n  - { name: n1, address: 127.0.0.1, port: 1, roles: [network] }\n');
    fs.writeFileSync(path.join(dir, 'bomb.yaml'), ALIAS_BOMB);
    fs.writeFileSync(path.join(dir, 'a-file'), 'x');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = (...extra: string[]): SpawnSyncReturns<string> => haprobe(['run', '-q', '-i', inv, '-p', 'neutron-l3ha', '--timeout', '5', ...extra]);

  for (const [what, output, message] of [
    ['a file', 'a-file', /--output: .*a-file exists and is not a folder/],
    ['under /proc (looped forever before)', '/proc/haprobe-x', /--output: refusing to write under \/proc/],
    ['under /sys', '/sys/haprobe-x', /--output: refusing to write under \/sys/],
  ] as const) {
    it(`--output ${what} is refused before any node is contacted`, () => {
      const r = run('-o', output.startsWith('/') ? output : path.join(dir, output));
      expect(r.status).to.equal(2);
      expectOneLine(r, message);
      expect(r.stderr).to.not.include('knownHosts');
    });
  }

  it('--prometheus and report --out that are folders or under /proc are refused', () => {
    const prom = run('--prometheus', dir);
    expect(prom.status).to.equal(2);
    expectOneLine(prom, /--prometheus: .* is not a regular file/);
    const rep = haprobe(['report', '--history', dir, '--out', '/proc/self/haprobe.html']);
    expect(rep.status).to.equal(2);
    expectOneLine(rep, /--out: refusing to write under \/proc/);
  });

  it("--timeout above Node's timer limit (2^31-1 ms) is refused (every node timed out before)", () => {
    const r = run('--timeout', '2147484');
    expect(r.status).to.equal(2);
    expectOneLine(r, /--timeout: must be at most 2147483 \(Node's timer limit\)/);
    expect(run('--timeout', '1e3').status).to.equal(2);
  });

  it('--neutron-state-path must be an absolute path without .. or control characters', () => {
    for (const bad of ['var/lib/neutron', '/var/lib/../../etc', '/var/lib/neutron\nid']) {
      const r = run('--neutron-state-path', bad);
      expect(r.status, bad).to.equal(2);
      expectOneLine(r, /--neutron-state-path: must be an absolute path/);
    }
  });

  it('--file-mode must be octal permission bits', () => {
    const r = run('--file-mode', '4755');
    expect(r.status).to.equal(2);
    expectOneLine(r, /--file-mode: must be octal permission bits/);
  });

  it('garp watch: --event-time abc, --expect-mac zz, --expect-ip and --watch-ip that are no IP', () => {
    const text = path.join(dir, 'a-file');
    const cases: [string[], RegExp][] = [
      [['--event-time', 'abc'], /--event-time: must be epoch seconds/],
      [['--expect-ip', '203.0.113.10', '--expect-mac', 'zz'], /--expect-mac: must be a MAC address/],
      [['--expect-ip', '203.0.113.x', '--expect-mac', 'fa:16:3e:00:00:01'], /--expect-ip: must be an IPv4 or IPv6 address/],
      [['--watch-ip', '$(id)'], /--watch-ip: must be an IPv4 or IPv6 address/],
      [['--duration', '600h', '--inventory', inv], /--duration: duration "600h" is longer than/],
    ];
    for (const [flags, message] of cases) {
      const r = haprobe(['garp', 'watch', ...(flags.includes('--inventory') ? [] : ['--text', text]), ...flags]);
      expect(r.status, flags.join(' ')).to.equal(2);
      expectOneLine(r, message);
    }
  });

  for (const [what, args, message] of [
    ['an inventory', (b: string) => ['run', '-q', '-i', b, '-p', 'neutron-l3ha'], /inventory error: .*bomb\.yaml: YAML aliases expand too much/],
    ['a facts file', (b: string) => ['run', '-q', '-i', inv, '-p', 'neutron-l3ha', '-f', b], /facts error: .*bomb\.yaml: YAML aliases expand too much/],
    ['a waivers file', (b: string) => ['run', '-q', '-i', inv, '-p', 'neutron-l3ha', '--waivers', b], /waivers error: .*bomb\.yaml: YAML aliases expand too much/],
    ['a profile', (b: string) => ['run', '-q', '-i', inv, '-p', b], /profile error: .*bomb\.yaml: YAML aliases expand too much/],
  ] as const) {
    it(`a YAML alias bomb in ${what} is a clean exit 2`, () => {
      const r = haprobe(args(path.join(dir, 'bomb.yaml')));
      expect(r.status).to.equal(2);
      expectOneLine(r, message);
    });
  }

  it('output piped to a reader that has gone (| head) ends quietly, no EPIPE stack trace', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" --help | true; "${process.execPath}" "${BIN}" garp watch --help | true`], { encoding: 'utf8' });
    expect(r.stderr).to.equal('');
  });

  it('knownHosts: false: a warning on stderr, and the run file (0600) records hostKeysChecked: false', () => {
    const out = path.join(dir, 'history');
    const r = run('-o', out);
    expect(r.status, r.stderr).to.equal(3);
    expect(r.stderr).to.match(/warning: .*inventory\.yaml: knownHosts: false, host keys are NOT checked/);
    const [file] = fs.readdirSync(out);
    expect(fs.statSync(path.join(out, file)).mode & 0o777).to.equal(0o600);
    expect(JSON.parse(fs.readFileSync(path.join(out, file), 'utf8')).inventory.hostKeysChecked).to.equal(false);
  });
});
