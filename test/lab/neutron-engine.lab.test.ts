import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadInventory } from '../../src/inventory/load-inventory';
import type { RunResult } from '../../src/report/result';
import { neutronLabDown } from '../../src/lab/neutron/down';
import { neutronLabUp, openLabApi, type NeutronUpResult } from '../../src/lab/neutron/up';
import { readNeutronState } from '../../src/lab/neutron/state';
import { neutronLabPaths, NMGMT_BRIDGE, NPREFIX } from '../../src/lab/neutron/names';
import { isRunning } from '../../src/lab/processes';
import { nodeArgv, runArgv } from '../../src/lab/shell';
import { NEUTRON_PROFILES } from '../../src/lab/neutron/topology';
import { useLabSuite } from '../helpers/lab-suite';
import { describeFindings, expectationOf, expectFaultCaught, failing, rowChecksFiring, runAgainstLab, runCli } from '../run/run-helpers';
import { NEUTRON_FAULTS } from '../../src/lab/neutron/faults';

/**
 * The real-Neutron lab engine (issue 16): per profile one `lab up --engine neutron` (real
 * Keystone, neutron-server, OVS and L3 agents of Debian 12's Zed), reused by every assertion,
 * torn down in after() even when up or a test failed; `down` must leave no process, namespace,
 * link, state dir or database behind. The neutron-l3ha lab also takes the real-engine faults
 * (describeRealEngineFaults, after the other tests). Run under `flock /tmp/haprobe-neutron.lock`.
 * HAPROBE_NEUTRON_PROFILES=neutron-legacy,neutron-l3ha picks profiles. Default: all four.
 * neutron-dvr-snat-ha was opt-in for one session: in the clean-clone run of 2026-11-30 its router
 * never became ready in a fixed 300 s (router updates of up to 130 s each under load). `up` now
 * waits while an agent is still processing the router and reads keepalived's state files
 * (docs/real-engine.md "When `up` fails"), keeps its logs when it fails, and the profile is back
 * in the default set.
 */
const DEFAULT_PROFILES = NEUTRON_PROFILES;
/**
 * garp verify through the API costs 80–120 s a profile: run for the three announcers neutron has
 * (the L3 agent's arping on qg- in legacy, keepalived on the HA router's qg-, the L3 agent's arping
 * on fg- in DVR); dvr-snat-ha announces its FIPs as DVR does. HAPROBE_NEUTRON_GARP_ALL=1: all four.
 */
const GARP_VERIFY_PROFILES: readonly string[] = process.env.HAPROBE_NEUTRON_GARP_ALL === '1' ? NEUTRON_PROFILES : ['neutron-legacy', 'neutron-l3ha', 'neutron-dvr'];
const installed = fs.existsSync('/usr/bin/neutron-server') && fs.existsSync('/usr/bin/neutron-l3-agent') && fs.existsSync('/usr/bin/keystone-manage');
const root = process.getuid?.() === 0;
const profiles = (process.env.HAPROBE_NEUTRON_PROFILES ?? DEFAULT_PROFILES.join(',')).split(',').map((s) => s.trim()).filter(Boolean);

/**
 * Until no node has run arping for `quietMs` (60 s at most). neutron announces a FIP with rounds of
 * `arping` a few seconds apart, from a greenthread that outlives the router update: the tail of the
 * association `up` made landed in the next garp verify's window (clean-clone run of 2026-12-01:
 * an arping -A at +417 ms, before the disassociation was even applied, judged wrong-shape).
 */
async function waitArpingQuiet(stateDir: string, quietMs = 6000): Promise<void> {
  const holders = Object.values(readNeutronState(neutronLabPaths(stateDir))?.nodes ?? {}).map((n) => n.holderPid).filter((p): p is number => p !== undefined);
  const end = Date.now() + 60_000;
  let quietSince = Date.now();
  while (Date.now() < end && Date.now() - quietSince < quietMs) {
    const busy = await Promise.all(holders.map(async (h) => (await runArgv(nodeArgv(h, ['pgrep', '-x', 'arping']), '', 5000)).code === 0));
    if (busy.includes(true)) quietSince = Date.now();
    await new Promise((r) => setTimeout(r, 200));
  }
}

function leftovers(stateDir: string, controlPids: number[]): string[] {
  const out: string[] = [];
  let netns: string[] = [];
  try {
    netns = fs.readdirSync('/run/netns').filter((n) => n.startsWith(NPREFIX));
  } catch {
    /* none */
  }
  out.push(...netns.map((n) => `netns ${n}`));
  for (const l of fs.readdirSync('/sys/class/net')) if (l === NMGMT_BRIDGE || l.startsWith('hqm-')) out.push(`link ${l}`);
  if (fs.existsSync(stateDir)) out.push(`state dir ${stateDir}`);
  for (const p of controlPids) if (isRunning(p)) out.push(`process ${p}`);
  return out;
}

const suite = installed && root ? describe : describe.skip;
if (!installed || !root) {
  describe('real-Neutron lab engine @lab', () => {
    it(`skipped: ${!root ? 'needs root' : 'OpenStack Zed packages not installed (bash scripts/setup.sh --with-openstack)'}`, function () {
      this.skip();
    });
  });
}

for (const profile of profiles) {
  suite(`real-Neutron lab engine: ${profile} @lab`, function () {
    this.timeout(300_000);
    const stateDir = `/var/tmp/haprobe-neutron-labtest-${profile}`;
    let controlPids: number[] = [];
    const lab = useLabSuite<NeutronUpResult>(
      async () => {
        await neutronLabDown({ stateDir }).catch(() => undefined);
        const up = await neutronLabUp({ profile, stateDir, progress: (m) => process.stderr.write(`      [${profile}] ${m}\n`) });
        controlPids = readNeutronState(neutronLabPaths(stateDir))!.control.map((c) => c.pid);
        process.stderr.write(`      [${profile}] up in ${(up.upMs / 1000).toFixed(1)} s\n`);
        return up;
      },
      async () => {
        const st = (() => { try { return readNeutronState(neutronLabPaths(stateDir)); } catch { return undefined; } })();
        const pids = [...controlPids, ...(st?.control.map((c) => c.pid) ?? [])];
        const t = Date.now();
        const down = await neutronLabDown({ stateDir });
        process.stderr.write(`      [${profile}] down in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
        expect(leftovers(stateDir, pids), 'left behind by down').to.deep.equal([]);
        // the databases: dropped while MariaDB runs (reported), and gone with the lab's own datadir in any case
        if (st && down.databasesDropped.length === 0) process.stderr.write(`      [${profile}] DROP DATABASE did not answer; the datadir went with the state dir\n`);
        expect(fs.existsSync(neutronLabPaths(stateDir).mysqlData), 'MariaDB datadir of the lab').to.equal(false);
      },
      { upMs: 1_200_000, downMs: 180_000 },
    );

    it('every agent registered alive, the instance port ACTIVE, through the API', async () => {
      const api = await openLabApi();
      const { agents } = await api.neutronRequest<{ agents: { host: string; binary: string; alive: boolean }[] }>('GET', '/agents');
      expect(agents.length).to.be.greaterThan(2);
      expect(agents.filter((a) => !a.alive).map((a) => `${a.binary}@${a.host}`)).to.deep.equal([]);
      const facts = JSON.parse(fs.readFileSync(lab().facts, 'utf8')) as { instances: { portId: string }[]; routers: { haVrId?: number; haState?: Record<string, string> }[] };
      const { port } = await api.neutronRequest<{ port: { status: string } }>('GET', `/ports/${facts.instances[0].portId}`);
      expect(port.status).to.equal('ACTIVE');
      if (profile === 'neutron-l3ha' || profile === 'neutron-dvr-snat-ha') {
        const r = facts.routers[0];
        expect(r.haVrId, 'ha_vr_id read from keepalived.conf').to.be.a('number');
        expect(Object.values(r.haState ?? {}).filter((s) => s === 'active')).to.have.length(1);
      }
    });

    it('writes inventory, facts and clouds.yaml side by side', () => {
      for (const f of [lab().inventory, lab().facts, lab().cloudsYaml]) expect(fs.existsSync(f), f).to.equal(true);
      expect(path.dirname(lab().cloudsYaml)).to.equal(path.dirname(lab().inventory));
    });

    it('haprobe run: zero findings, zero parser warnings, over real SSH', async () => {
      // the L3 agent may still be finishing its first router update when `up` returns (the FIP
      // already answers): poll `haprobe run` until it is clean (real state), print what was not yet
      let last = await runAgainstLab(stateDir, profile);
      const end = Date.now() + 150_000;
      while ((failing(last.result).length > 0 || rowChecksFiring(last.result) !== '') && Date.now() < end) {
        process.stderr.write(`      [${profile}] not converged yet: ${(describeFindings(failing(last.result)) || rowChecksFiring(last.result)).slice(0, 600)}\n`);
        last = await runAgainstLab(stateDir, profile);
      }
      const { code, result } = last;
      expect(describeFindings(failing(result)), 'failing findings').to.equal('');
      expect(rowChecksFiring(result), 'issue 12: the §7 checks on a healthy lab').to.equal('');
      expect(result.warnings ?? [], 'lines haprobe did not understand').to.deep.equal([]);
      expect(result.nodes.every((n) => n.reachable)).to.equal(true);
      expect(code).to.equal(0);
    });

    it('the lab API: run --cloud judges as --facts does; init --cloud finds the lab nodes and their roles (issues 13, 14)', async () => {
      const prev = process.env.OS_CLIENT_CONFIG_FILE;
      process.env.OS_CLIENT_CONFIG_FILE = lab().cloudsYaml;
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'haprobe-init-cloud-'));
      try {
        const viaFacts = await runAgainstLab(stateDir, profile);
        const r = await runCli(['run', '-q', '--format', 'json', '-i', lab().inventory, '--cloud', 'haprobe-lab', '-p', profile]);
        const viaCloud = JSON.parse(r.stdout) as RunResult;
        expect(describeFindings(failing(viaCloud)), r.stderr.slice(-2000)).to.equal(describeFindings(failing(viaFacts.result)));
        expect(r.code).to.equal(viaFacts.code);
        // init --cloud: one node per agent host (neutron's host= is the lab node's name), roles from agent_mode
        const out = path.join(tmp, 'inventory.yaml');
        const i = await runCli(['init', '--cloud', 'haprobe-lab', '-o', out]);
        expect(i.code, i.stderr.slice(-2000)).to.equal(0);
        const drafted = new Map(loadInventory(out).nodes.map((n) => [n.name, n.roles as string[]]));
        const agentNodes = loadInventory(lab().inventory).nodes.filter((n) => n.roles.some((x) => x === 'network' || x === 'compute'));
        expect([...drafted.keys()].sort()).to.deep.equal(agentNodes.map((n) => n.name).sort());
        for (const n of agentNodes) expect(drafted.get(n.name), n.name).to.include.members(n.roles.filter((x) => x === 'network' || x === 'compute'));
      } finally {
        if (prev === undefined) delete process.env.OS_CLIENT_CONFIG_FILE;
        else process.env.OS_CLIENT_CONFIG_FILE = prev;
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    });

    (GARP_VERIFY_PROFILES.includes(profile) ? it : it.skip)('garp verify --disassociate then --associate vm1 through the API: PASS from neutron\'s own announcements; run clean after', async () => {
      const facts = JSON.parse(fs.readFileSync(lab().facts, 'utf8')) as { floatingIps: { floatingIp: string }[] };
      // API → data plane takes seconds on a busy control plane (docs/real-engine.md row 8): --deadline 30s
      const common = ['garp', 'verify', '--inventory', lab().inventory, '--facts', lab().facts, '--profile', profile,
        '--fip', facts.floatingIps[0]!.floatingIp, '--deadline', '30s', '--format', 'json'];
      await waitArpingQuiet(stateDir);
      const off = await runCli([...common, '--disassociate'], 200_000);
      // a busy L3 agent may still send its queued arpings of the FIP after the API call (clean-clone run 13):
      // haprobe cannot tell whether before or after the removal and says INCONCLUSIVE with that cause
      const offStatus = (JSON.parse(off.stdout || '{}') as { status?: string; cause?: string });
      const offSaid = `${offStatus.status} ${offStatus.cause}`;
      process.stderr.write(`      [${profile}] garp verify --disassociate: ${off.code === 0 ? 'PASS' : offSaid}\n`);
      // the FIP is associated again whatever the first half said: the tests after this one need it (CI of the twelfth submission)
      await waitArpingQuiet(stateDir);
      const on = await runCli([...common, '--associate', 'vm1'], 200_000);
      if (off.code !== 0) expect(offSaid, off.stderr.slice(-2000) + off.stdout.slice(-1500)).to.equal('INCONCLUSIVE announced-while-removing');
      expect(on.code, on.stderr.slice(-2000) + on.stdout.slice(-1500)).to.equal(0);
      let last = await runAgainstLab(stateDir, profile);
      const end = Date.now() + 150_000;
      while (failing(last.result).length > 0 && Date.now() < end) last = await runAgainstLab(stateDir, profile);
      expect(describeFindings(failing(last.result)), 'after the re-association').to.equal('');
    });

    if (profile === 'neutron-l3ha') {
      it('drill failover (kill-keepalived over SSH): a new primary within budget, and haprobe run is clean after', async () => {
        const r = await runCli(['drill', 'failover', '--inventory', lab().inventory, '--facts', lab().facts, '--profile', profile,
          '--fault', 'kill-keepalived', '--via', 'ssh', '--yes-i-mean-it', '--format', 'json'], 280_000);
        expect(r.code, r.stderr.slice(-2000) + r.stdout.slice(-2000)).to.equal(0);
      });

      // on the same lab (a second real lab cost 3–4 min of the suite's time): runs after the tests above
      describeRealEngineFaults(stateDir, profile);
    }
  });
}

interface Observed { fault: string; detail: Record<string, unknown>; during: string; duringCode: number; afterHeal: string; healMs: number }

/**
 * Faults made the way they happen, on the real engine (issue 16, "Then prove haprobe on it"), on
 * the suite's neutron-l3ha lab: each fault applied through the CLI (`haprobe lab fault <name>
 * --engine neutron`), `haprobe run` judged while it holds, healed through the CLI, then `haprobe
 * run` must be clean again (the real agents resynced). What haprobe says while a fault holds is
 * recorded (stderr and HAPROBE_FAULTS_REPORT), and asserted only where the data plane is really
 * broken: when the floating IP stops answering, haprobe must not be silent. No failure is forced
 * that the data plane does not have.
 */
function describeRealEngineFaults(stateDir: string, profile: string): void {
  describe('faults made the way they happen', function () {
    this.timeout(600_000);
    const reportFile = process.env.HAPROBE_FAULTS_REPORT;
    const observed: Observed[] = [];
    const say = (line: string): void => {
      process.stderr.write(`      [faults] ${line}\n`);
    };
    /** haprobe run until clean (the agents may still be resyncing), at most `ms`; returns the last result */
    const runUntilClean = async (ms: number): Promise<{ code: number; result: RunResult }> => {
      let last = await runAgainstLab(stateDir, profile);
      const end = Date.now() + ms;
      while (failing(last.result).length > 0 && Date.now() < end) last = await runAgainstLab(stateDir, profile);
      return last;
    };

    before(async function () {
      this.timeout(200_000);
      const clean = await runUntilClean(150_000);
      expect(describeFindings(failing(clean.result)), 'haprobe run before any fault').to.equal('');
    });
    after(() => {
      if (reportFile) fs.writeFileSync(reportFile, JSON.stringify(observed, null, 2) + '\n');
    });

    it('every real-engine fault is reachable from `haprobe lab fault --engine neutron` and healed by `lab heal`', () => {
      expect(NEUTRON_FAULTS.map((f) => f.name)).to.deep.equal([
        'l3-agent-killed-mid-fip', 'l3-agent-restarted-mid-router', 'keepalived-sighup-storm', 'qrouter-namespace-deleted', 'fip-while-l3-agent-down', 'lp2123911',
      ]);
    });

    for (const f of NEUTRON_FAULTS) {
      it(`${f.name}: what haprobe says while it holds; clean again after heal`, async () => {
        const t0 = Date.now();
        const a = await runCli(['lab', '--json', '--state-dir', stateDir, 'fault', f.name, '--engine', 'neutron'], 580_000);
        expect(a.code, a.stderr.slice(-2000)).to.equal(0);
        const rec = (readNeutronState(neutronLabPaths(stateDir))!.faults ?? []).find((x) => x.name === f.name)!;
        expect(rec, 'fault recorded in lab.json').to.not.equal(undefined);
        const during = await runAgainstLab(stateDir, profile);
        const duringText = describeFindings(failing(during.result));
        say(`${f.name} applied in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(rec.detail)}`);
        say(`${f.name} while it holds (exit ${during.code}): ${duringText || 'no failing finding'}`);
        expect(during.result.warnings ?? [], 'parser warnings while the fault holds').to.deep.equal([]);
        // the data plane is really broken when the FIP does not answer: haprobe must say so
        const fipDown = rec.detail.fipAnswersAfterKill === false || rec.detail.fipAnswersAfter === false;
        if (fipDown) expect(failing(during.result).length, 'the FIP does not answer, yet haprobe found nothing').to.be.greaterThan(0);
        if (f.name === 'lp2123911') {
          // §7 row 14 (issue 12): the only lab with VXLAN tunnels; the planted table-20 entry is named on its node
          expectFaultCaught(during.result, expectationOf(f.name), { node: rec.node });
          const hits = failing(during.result).filter((x) => x.checkId === 'ovs-tunnel-stale-mac');
          expect(hits.map((x) => x.subject.node), duringText).to.deep.equal([rec.node]);
          expect(hits[0]!.message).to.contain(`, ${String(rec.detail.towards)})`).and.contain(`the primary is ${String(rec.detail.primary)}`).and.contain('lp#2123911');
          expect(during.code).to.equal(1);
          expect(during.result.checks.find((c) => c.id === 'ovs-tunnel-stale-mac')?.references ?? []).to.include('bug:lp#2123911');
        }
        const t1 = Date.now();
        const h = await runCli(['lab', '--json', '--state-dir', stateDir, 'heal', f.name, '--engine', 'neutron'], 580_000);
        expect(h.code, h.stderr.slice(-2000)).to.equal(0);
        const after = await runUntilClean(150_000);
        const healMs = Date.now() - t1;
        say(`${f.name} healed, haprobe clean again after ${(healMs / 1000).toFixed(1)} s`);
        observed.push({ fault: f.name, detail: rec.detail, during: duringText, duringCode: during.code, afterHeal: describeFindings(failing(after.result)), healMs });
        expect(describeFindings(failing(after.result)), 'haprobe run after heal').to.equal('');
        expect(readNeutronState(neutronLabPaths(stateDir))!.faults ?? []).to.deep.equal([]);
      });
    }
  });
}
