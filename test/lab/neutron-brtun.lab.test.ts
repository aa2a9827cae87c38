import { expect } from 'chai';
import * as fs from 'node:fs';
import { neutronLabDown } from '../../src/lab/neutron/down';
import { neutronLabPaths } from '../../src/lab/neutron/names';
import { readNeutronState } from '../../src/lab/neutron/state';
import { neutronLabUp, type NeutronUpResult } from '../../src/lab/neutron/up';
import { useLabSuite } from '../helpers/lab-suite';
import { describeFindings, failing, runAgainstLab, runCli } from '../run/run-helpers';

/**
 * §7 row 14 (lp#2123911, issue 12) on the real engine, the only lab with VXLAN tunnels (real
 * neutron-openvswitch-agent, tunnel_types=vxlan, l2_population): healthy, ovs-tunnel-stale-mac
 * passes on cmp1's br-tun; `lab fault lp2123911 --engine neutron` plants the learned table-20
 * entry for the router's qr- MAC towards the backup's tunnel and `haprobe run` fails it on cmp1
 * with lp#2123911; after `lab heal` the check no longer fails. Run under
 * `flock /tmp/haprobe-neutron.lock`.
 */
const installed = fs.existsSync('/usr/bin/neutron-server') && fs.existsSync('/usr/bin/neutron-openvswitch-agent');
const root = process.getuid?.() === 0;
const PROFILE = 'neutron-l3ha';
const stateDir = '/var/tmp/haprobe-neutron-brtuntest';
const CHECK = 'ovs-tunnel-stale-mac';

function say(line: string): void {
  process.stderr.write(`      [brtun] ${line}\n`);
}

(installed && root ? describe : describe.skip)('real engine: br-tun sends the HA router\'s MAC to the old tunnel (lp2123911) @lab', function () {
  this.timeout(600_000);
  useLabSuite<NeutronUpResult>(
    async () => {
      await neutronLabDown({ stateDir }).catch(() => undefined);
      const up = await neutronLabUp({ profile: PROFILE, stateDir, progress: () => undefined });
      say(`up in ${(up.upMs / 1000).toFixed(1)} s`);
      return up;
    },
    async () => {
      await neutronLabDown({ stateDir });
      expect(fs.existsSync(stateDir)).to.equal(false);
    },
    { upMs: 1_200_000, downMs: 180_000 },
  );

  it('healthy: the new checks do not fire; the fault fails ovs-tunnel-stale-mac on cmp1 with lp#2123911; heal clears it', async () => {
    // the instance's first traffic teaches cmp1's br-tun the qr- MAC (up pings the FIP)
    const healthy = await runAgainstLab(stateDir, PROFILE, ['--check', `${CHECK},l3ha-backup-ipv6`]);
    expect(describeFindings(failing(healthy.result)), 'healthy').to.equal('');
    say(`healthy: ${healthy.result.findings.filter((f) => f.checkId === CHECK).map((f) => `${f.verdict} ${f.subject.node ?? ''}`).join(', ')}`);

    const a = await runCli(['lab', '--json', '--state-dir', stateDir, 'fault', 'lp2123911', '--engine', 'neutron'], 120_000);
    expect(a.code, a.stderr.slice(-2000)).to.equal(0);
    const rec = (readNeutronState(neutronLabPaths(stateDir))!.faults ?? []).find((x) => x.name === 'lp2123911')!;
    say(`fault: ${rec.subject}`);
    const during = await runAgainstLab(stateDir, PROFILE, ['--check', CHECK]);
    const hits = failing(during.result).filter((f) => f.checkId === CHECK);
    expect(hits.map((f) => f.subject.node), describeFindings(failing(during.result))).to.deep.equal([rec.node]);
    expect(hits[0]!.message).to.contain(`, ${String(rec.detail.towards)})`).and.contain(`the primary is ${String(rec.detail.primary)}`).and.contain('lp#2123911');
    expect(during.code).to.equal(1);
    expect(during.result.checks.find((c) => c.id === CHECK)?.references ?? []).to.include('bug:lp#2123911');

    const h = await runCli(['lab', '--json', '--state-dir', stateDir, 'heal', 'lp2123911', '--engine', 'neutron'], 120_000);
    expect(h.code, h.stderr.slice(-2000)).to.equal(0);
    const after = await runAgainstLab(stateDir, PROFILE, ['--check', CHECK]);
    expect(describeFindings(failing(after.result)), 'after heal').to.equal('');
  });
});
