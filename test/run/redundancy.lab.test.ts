import { expect } from 'chai';
import { applyFault, healFaults, labDown, labPaths, labUp, readLabState } from '../../src/lab';
import { planOfState } from '../../src/lab/plan';
import { HA_CONFS } from '../../src/lab/render-node';
import { nodeArgv, runArgv } from '../../src/lab/shell';
import type { NodeSnapshot } from '../../src/model/types';
import { useLabSuite } from '../helpers/lab-suite';
import { describeFindings, expectationOf, expectFaultCaught, failing, rowChecksFiring, runAgainstLab } from './run-helpers';

/**
 * HA redundancy itself (issue 12): on ONE l3ha lab rendering Zed (its ProcessMonitor stand-in
 * respawns a dead keepalived, as the real agent does), a healthy run with --listen-vrrp hears the
 * primary on every backup and finds nothing; `backup-keepalived-dead` (held dead) and
 * `vrrp-adverts-blocked` are each caught by l3ha-single-primary on the router; after heal, clean.
 * `--shard 1/1` keeps the snapshots in the result, so the test sees what each replica heard.
 */
describe('HA redundancy: keepalived liveness and --listen-vrrp on the l3ha lab (zed) @lab', function () {
  this.timeout(240_000);
  const profile = 'neutron-l3ha';
  const stateDir = '/var/tmp/haprobe-runtest-redundancy';
  const listen = ['--listen-vrrp', '--shard', '1/1'];

  useLabSuite(
    async () => {
      await labDown({ stateDir }).catch(() => undefined);
      await labUp({ profile, stateDir, renderer: 'silent', release: 'zed' });
      return stateDir;
    },
    () => labDown({ stateDir }),
    { upMs: 300_000, downMs: 120_000 },
  );

  const snapshotsOf = (result: { shard?: { snapshots: NodeSnapshot[] } }): NodeSnapshot[] => result.shard?.snapshots ?? [];

  it('healthy, --listen-vrrp: every backup heard the primary, the /proc scan saw each keepalived, exit 0', async () => {
    const { code, result } = await runAgainstLab(stateDir, profile, listen);
    expect(describeFindings(failing(result)), 'failing findings').to.equal('');
    expect(rowChecksFiring(result), 'issue 12: the §7 checks on a healthy lab').to.equal('');
    expect(code).to.equal(0);
    const replicas = snapshotsOf(result).flatMap((n) => n.haRouters.map((h) => ({ node: n.node, h })));
    expect(replicas.length, 'HA replicas read').to.be.greaterThan(1);
    for (const { node, h } of replicas) {
      expect(h.keepalivedRunning, `${node} keepalived`).to.equal(true);
      expect(h.keepalivedProcesses?.filter((p) => p.state !== 'Z' && p.state !== 'T').length, `${node}: parent and VRRP child by cmdline`).to.be.greaterThan(1);
      expect(h.vrrpListen, `${node} listened`).to.not.equal(undefined);
      expect(h.vrrpListen!.error, `${node} capture`).to.equal(undefined);
      if (h.state === 'backup') expect(h.vrrpListen!.adverts, `${node} (backup) adverts in ${h.vrrpListen!.windowMs} ms`).to.be.greaterThan(1);
    }
  });

  it('backup-keepalived-dead: the router is not redundant, naming the backup; after heal clean', async () => {
    const rec = await applyFault({ stateDir, name: 'backup-keepalived-dead' });
    try {
      expect(rec.undo?.monitorHeld, 'the zed lab has a process monitor, held down').to.equal('yes');
      // held dead: the monitor (every 60 s it would respawn keepalived) is stopped, so the state the run
      // sees now is the state after its period too — read the monitor's state instead of waiting 65 s
      const state = readLabState(labPaths(stateDir))!;
      const rid = planOfState(state).router.id;
      const stat = await runArgv(nodeArgv(state.nodes[rec.node!].holderPid!, ['sh', '-c', `awk '{print $3}' /proc/$(cat ${HA_CONFS}/${rid}.pid.process-monitor)/stat`]), '', 10_000);
      expect(stat.stdout.trim(), `process monitor on ${rec.node}: ${stat.stderr}`).to.equal('T');
      const { code, result } = await runAgainstLab(stateDir, profile);
      const hits = expectFaultCaught(result, expectationOf('backup-keepalived-dead'), rec.subject, new RegExp(`is not redundant: keepalived is not running on backup ${rec.node}`))
        .filter((f) => f.verdict === 'fail');
      expect(hits.length, describeFindings(failing(result))).to.equal(1);
      expect(code).to.equal(1);
      if (process.env.HAPROBE_SHOW_FINDINGS) process.stdout.write(`${describeFindings(hits)}\n`);
    } finally {
      await healFaults({ stateDir, name: 'backup-keepalived-dead' });
    }
    const { code, result } = await runAgainstLab(stateDir, profile);
    expect(describeFindings(failing(result)), 'after heal').to.equal('');
    expect(code).to.equal(0);
  });

  it('vrrp-adverts-blocked: --listen-vrrp names the replicas that do not hear each other; after heal clean', async () => {
    const rec = await applyFault({ stateDir, name: 'vrrp-adverts-blocked' });
    try {
      const { code, result } = await runAgainstLab(stateDir, profile, listen);
      const hits = expectFaultCaught(result, expectationOf('vrrp-adverts-blocked'), rec.subject, /do not hear each other|heard no VRRP advert/);
      const backup = String(rec.undo?.backup);
      expect(hits.some((f) => f.message.includes(`${backup} heard no VRRP advert`)), `the cut-off replica ${backup} is named:\n${describeFindings(hits)}`).to.equal(true);
      expect(code).to.equal(1);
      if (process.env.HAPROBE_SHOW_FINDINGS) process.stdout.write(`${describeFindings(hits)}\n`);
    } finally {
      await healFaults({ stateDir, name: 'vrrp-adverts-blocked' });
    }
    const { code, result } = await runAgainstLab(stateDir, profile, listen);
    expect(describeFindings(failing(result)), 'after heal').to.equal('');
    expect(code).to.equal(0);
  });
});
