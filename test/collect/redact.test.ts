import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { collectNode } from '../../src/collect/collect';
import { REDACTED, isSecretKey, redactSecrets } from '../../src/collect/redact';
import { LocalTransport } from '../../src/transport/local-transport';
import { renderJunit } from '../../src/report/render-junit';
import type { InventoryNode } from '../../src/inventory/types';
import { expectLinear } from '../hardening/fuzz-helpers';

const FIXTURE = path.resolve(__dirname, '../../../test/collect/fixtures/keepalived-conf-neutron-vrrp-auth.txt');
/** the fixture without its #source/#what header: the file as it lies on the node */
const CONF = readFileSync(FIXTURE, 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('\n');

describe('collect: secrets are redacted before evidence is stored (issue 8)', () => {
  it("neutron's keepalived.conf: only the auth_pass value changes", () => {
    const out = redactSecrets(CONF);
    expect(out).to.not.include('pass123');
    const before = CONF.split('\n');
    const after = out.split('\n');
    expect(after).to.have.length(before.length);
    const changed = after.filter((l, i) => l !== before[i]);
    expect(changed).to.deep.equal([`        auth_pass ${REDACTED}`]);
  });

  /** [line, redacted form] */
  const CASES: [string, string][] = [
    ['authentication { auth_type PASS auth_pass "two words" }', `authentication { auth_type PASS auth_pass ${REDACTED} }`],
    ['admin_password = hunter2', `admin_password = ${REDACTED}`],
    ['metadata_proxy_shared_secret=abc', `metadata_proxy_shared_secret=${REDACTED}`],
    ['password: x', `password: ${REDACTED}`],
    ['transport_url = rabbit://openstack:s3cr3t@ctl1:5672/', `transport_url = rabbit://openstack:${REDACTED}@ctl1:5672/`],
    ['                options: {psk=swordfish, remote_ip="192.0.2.7"}', `                options: {psk=${REDACTED}, remote_ip="192.0.2.7"}`],
    ['{"data":[[["map",[["psk","x"],["iface-id","y"]]]]]}', `{"data":[[["map",[["psk","${REDACTED}"],["iface-id","y"]]]]]}`],
    ['{"api_key": "k", "name": "n"}', `{"api_key": "${REDACTED}", "name": "n"}`],
  ];
  for (const [line, want] of CASES) {
    it(`redacts ${JSON.stringify(line)}`, () => expect(redactSecrets(line)).to.equal(want));
  }

  it('leaves look-alikes alone (passive, bypass, sysctl and iptables lines)', () => {
    for (const line of ['    passive', 'bypass on', 'net.ipv4.conf.all.arp_ignore = 0', '-A INPUT -m comment --comment "password" -j ACCEPT', '    auth_type PASS', 'keepalived: Keepalived v2.2.7']) {
      expect(redactSecrets(line)).to.equal(line);
    }
    expect(isSecretKey('tokenize')).to.equal(false);
    expect(isSecretKey('ha_vrrp_auth_password')).to.equal(true);
  });

  it('stays linear on long lines (the shared fuzz bound: n, 2n, 4n, retried, quadratic fails)', function () {
    this.timeout(60_000);
    expectLinear('redactSecrets', (n) => 'a.a-k="b",'.repeat(Math.max(1, Math.floor(n / 10))) + 'pass', (t) => { redactSecrets(t); }, 10_000);
  });

  describe('end to end: the real snapshot script on this machine, a keepalived.conf with auth_pass', function () {
    this.timeout(30_000);
    let dir: string;
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'hp-redact-'));
      mkdirSync(path.join(dir, 'ha_confs', 'r-1'), { recursive: true });
      writeFileSync(path.join(dir, 'ha_confs', 'r-1', 'keepalived.conf'), CONF);
      writeFileSync(path.join(dir, 'ha_confs', 'r-1', 'state'), 'primary\n');
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('evidence and JUnit hold no auth_pass value; the config is still parsed', async () => {
      const node: InventoryNode = { name: 'here', address: '127.0.0.1', port: 22, user: 'root', roles: ['network'], sudo: false };
      const c = await collectNode(node, new LocalTransport(), { statePath: dir, timeoutMs: 20_000 });
      expect(c.failure).to.equal(undefined);
      const conf = c.evidence.find((e) => e.command === 'section:keepalived-conf:r-1');
      expect(conf?.output).to.include(`auth_pass ${REDACTED}`);
      expect(JSON.stringify(c.evidence)).to.not.include('pass123');
      expect(c.snapshot!.haRouters[0].config!.instances[0]).to.include({ virtualRouterId: 1, priority: 50 });
      expect(JSON.stringify(c.warnings)).to.not.include('pass123');
      const junit = renderJunit({
        schemaVersion: 1, runId: 'r', tool: { name: 'haprobe', version: '0' }, startedAt: '2024-05-01T00:00:00Z', finishedAt: '2024-05-01T00:00:01Z',
        durationMs: 1, profile: 'p', inventory: { source: 'i', digest: 'd' }, nodes: [], checks: [], rows: [], findings: [], evidence: c.evidence,
        verdict: 'pass', summary: { pass: 0, fail: 0, warn: 0, skip: 0, error: 0, waived: 0 },
      });
      expect(junit).to.not.include('pass123');
    });
  });
});
