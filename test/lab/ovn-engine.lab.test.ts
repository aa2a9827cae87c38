import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { neutronLabDown } from '../../src/lab/neutron/down';
import { NMGMT_BRIDGE, NPREFIX, neutronLabPaths } from '../../src/lab/neutron/names';
import { crLrpChassis, ovnDbRows } from '../../src/lab/neutron/ovn-build';
import { applyOvnFault, healOvnFaults, OVN_FAULTS } from '../../src/lab/neutron/ovn-faults';
import { ovnFailover } from '../../src/lab/neutron/ovn-failover';
import { isRunning } from '../../src/lab/processes';
import { readNeutronState } from '../../src/lab/neutron/state';
import { neutronLabUp, type NeutronUpResult } from '../../src/lab/neutron/up';
import { nodeArgv, runArgv } from '../../src/lab/shell';
import type { RunResult } from '../../src/report/result';
import { useLabSuite } from '../helpers/lab-suite';
import { describeFindings, expectationOf, expectFaultCaught, failing, runAgainstLab, runCli } from '../run/run-helpers';
import { openLabApi } from '../../src/lab/neutron/up';
import { instancePortOf, setFloatingIpPort } from '../../src/lab/neutron/fip';
import { buildOvnGarpSettingsCommand } from '../../src/garp/ovn-drill-commands';
import { runDrillFailover } from '../../src/cli/commands/drill';
import { loadInventoryAuto } from '../../src/inventory';
import { createTransport } from '../../src/transport';
import { buildOvnChassisProbeCommand, buildOvnSbClaimCommand, buildOvnSbGatewaysCommand } from '../../src/garp/ovn-drill-commands';

/**
 * The ML2/OVN lab of the real engine (issue 11): one `lab up --engine neutron --profile ovn`
 * (OVN 23.03 NB/SB/northd, 3 gateway chassis, 2 computes, neutron-server Zed with the OVN driver),
 * reused by every assertion and torn down in after() even on failure; `down` leaves no process,
 * namespace, link, state dir or database. When the `ovn` profile of haprobe exists
 * (profiles/ovn.yaml), `haprobe run -p ovn` must pass healthy and catch every fault with its
 * check; without it, each fault is still applied, seen in OVN's own tables, and healed.
 * Run under `flock /tmp/haprobe-neutron.lock`. HAPROBE_OVN_PROFILE=ovn-centralized picks the other FIP mode.
 */
const installed = ['/usr/bin/neutron-server', '/usr/bin/ovn-northd', '/usr/bin/ovn-controller', '/usr/bin/neutron-ovn-metadata-agent'].every((f) => fs.existsSync(f));
const root = process.getuid?.() === 0;
const profile = process.env.HAPROBE_OVN_PROFILE ?? 'ovn';
const haveChecks = fs.existsSync(path.resolve(__dirname, '../../../profiles/ovn.yaml'));

function leftovers(stateDir: string, pids: number[]): string[] {
  const out: string[] = [];
  try {
    out.push(...fs.readdirSync('/run/netns').filter((n) => n.startsWith(NPREFIX)).map((n) => `netns ${n}`));
  } catch {
    /* none */
  }
  for (const l of fs.readdirSync('/sys/class/net')) if (l === NMGMT_BRIDGE || l.startsWith('hqm-')) out.push(`link ${l}`);
  if (fs.existsSync(stateDir)) out.push(`state dir ${stateDir}`);
  for (const p of pids) if (isRunning(p)) out.push(`process ${p}`);
  return out;
}

const suite = installed && root ? describe : describe.skip;
suite(`ML2/OVN lab (${profile}) @lab`, function () {
  this.timeout(300_000);
  const stateDir = `/var/tmp/haprobe-neutron-labtest-${profile}`;
  const p = neutronLabPaths(stateDir);
  let pids: number[] = [];
  const holder = (n: string): number => readNeutronState(p)!.nodes[n].holderPid!;
  const lab = useLabSuite<NeutronUpResult>(
    async () => {
      await neutronLabDown({ stateDir }).catch(() => undefined);
      const up = await neutronLabUp({ profile, stateDir, progress: (m) => process.stderr.write(`      [${profile}] ${m}\n`) });
      pids = readNeutronState(p)!.control.map((c) => c.pid);
      process.stderr.write(`      [${profile}] up in ${(up.upMs / 1000).toFixed(1)} s\n`);
      return up;
    },
    async () => {
      const st = (() => { try { return readNeutronState(p); } catch { return undefined; } })();
      const all = [...pids, ...(st?.control.map((c) => c.pid) ?? [])];
      const t = Date.now();
      await neutronLabDown({ stateDir });
      process.stderr.write(`      [${profile}] down in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
      expect(leftovers(stateDir, all), 'left behind by down').to.deep.equal([]);
      expect(fs.existsSync(p.mysqlData), 'MariaDB datadir of the lab').to.equal(false);
    },
    { upMs: 1_200_000, downMs: 180_000 },
  );

  it('every chassis registered; cr-lrp claimed by exactly one chassis, the highest-priority gateway', async () => {
    expect(lab().haPrimary).to.be.a('string');
    const central = holder('central');
    const chassis = await ovnDbRows(central, 'ovn-sbctl', ['--columns=name', 'list', 'Chassis']);
    expect(chassis.map((c) => String(c.name)).sort()).to.deep.equal(['cmp1', 'cmp2', 'gw1', 'gw2', 'gw3']);
    const bound = Object.values(await crLrpChassis(central));
    expect(bound).to.have.length(1);
    const gcs = (await ovnDbRows(central, 'ovn-nbctl', ['--columns=chassis_name,priority', 'list', 'Gateway_Chassis']))
      .sort((a, b) => Number(b.priority) - Number(a.priority));
    expect(gcs.map((g) => Number(g.priority))).to.deep.equal([3, 2, 1]);
    expect(bound[0]).to.equal(String(gcs[0].chassis_name));
  });

  it('the floating IPs answer from the upstream; NAT rows as the FIP mode says', async () => {
    const st = readNeutronState(p)!;
    const fips = Object.values(st.ovn!.instances).map((i) => i.fip!);
    for (const f of fips) {
      const r = await runArgv(nodeArgv(holder('upstream'), ['ping', '-c', '2', '-W', '2', f]), '', 15_000);
      expect(r.code, `ping ${f}: ${r.stdout}`).to.equal(0);
    }
    const nat = await ovnDbRows(holder('central'), 'ovn-nbctl', ['--columns=type,external_ip,external_mac', 'list', 'NAT']);
    const withMac = nat.filter((n) => n.type === 'dnat_and_snat' && typeof n.external_mac === 'string');
    expect(withMac.length).to.equal(profile === 'ovn' ? fips.length : 0);
    expect(nat.filter((n) => n.type === 'snat')).to.have.length(1);
  });

  it('writes inventory, facts and clouds.yaml side by side', () => {
    for (const f of [lab().inventory, lab().facts, lab().cloudsYaml]) expect(fs.existsSync(f), f).to.equal(true);
  });

  (haveChecks ? it : it.skip)('haprobe run -p ovn: clean on the healthy lab', async () => {
    let last = await runAgainstLab(stateDir, 'ovn');
    const end = Date.now() + 90_000;
    while (failing(last.result).length > 0 && Date.now() < end) {
      process.stderr.write(`      [${profile}] not converged yet: ${describeFindings(failing(last.result)).slice(0, 600)}\n`);
      last = await runAgainstLab(stateDir, 'ovn');
    }
    expect(describeFindings(failing(last.result))).to.equal('');
    expect(last.code).to.equal(0);
  });

  // issue 11 "Done when": a Neutron OVS profile against the OVN lab is refused with a clear message; `haprobe profiles` lists ovn
  it('haprobe run -p neutron-l3ha against the OVN lab: refused (exit 2), the message says ML2/OVN and names --profile ovn; haprobe profiles lists ovn', async () => {
    const r = await runCli(['run', '-i', lab().inventory, '-f', lab().facts, '-p', 'neutron-l3ha'], 200_000);
    process.stderr.write(r.stderr.split('\n').slice(0, 3).map((l) => `      [${profile}] ${l.slice(0, 400)}\n`).join(''));
    expect(r.code, r.stderr.slice(-1500)).to.equal(2);
    expect(r.stderr).to.match(/looks like ML2\/OVN, not ML2\/OVS/).and.match(/--profile ovn/);
    const l = await runCli(['profiles'], 60_000);
    expect(l.code).to.equal(0);
    expect(l.stdout).to.match(/│ ovn +│ ML2\/OVN/);
  });

  for (const spec of OVN_FAULTS) {
    if (spec.needs?.startsWith('profile ovn ') && profile !== 'ovn') continue;
    it(`fault ${spec.name}${spec.bug ? ` (§7 #${spec.bug.row})` : ''}: applied, ${haveChecks ? `caught by ${spec.check}, ` : ''}healed`, async () => {
      const rec = await applyOvnFault({ stateDir, name: spec.name });
      try {
        expect(rec.check).to.equal(spec.check);
        if (haveChecks) {
          let result: RunResult | undefined;
          const end = Date.now() + 60_000;
          do {
            result = (await runAgainstLab(stateDir, 'ovn')).result;
          } while (!failing(result).some((f) => f.checkId === spec.check) && !result.findings.some((f) => f.checkId === spec.check && f.verdict === 'warn') && Date.now() < end);
          // issue 12: the registry's check, the subject the fault recorded (and the fields the registry names), the row's bug references
          const hit = expectFaultCaught(result, expectationOf(spec.name), rec.subject);
          if (spec.bug) expect(JSON.stringify(hit), 'bug reference in the finding').to.include(spec.bug.refs[0].replace(/^[a-z]+#/, ''));
        }
      } finally {
        await healOvnFaults({ stateDir, name: spec.name });
      }
    });
  }

  // issue 11: `drill failover -p ovn` over SSH, as an operator runs it (the lab's nodes run sshd)
  it('drill failover -p ovn: tunnel-down moves cr-lrp to the next chassis within budget (G-ARP from its uplink), restored; stop-ovn-controller is judged inconclusive and ovn-controller is started again', async function () {
    this.timeout(240_000);
    const dump = process.env.HAPROBE_OVN_DRILL_DUMP;
    if (dump) {
      // the real outputs of the drill's commands, for test/fixtures/ovn/drill
      const inv = loadInventoryAuto(lab().inventory);
      const node = (n: string) => createTransport(inv.nodes.find((x) => x.name === n)!, inv);
      const gwCr = Object.keys(await crLrpChassis(holder('central')))[0]!;
      fs.mkdirSync(dump, { recursive: true });
      for (const [n, cmd, file] of [['central', buildOvnSbGatewaysCommand(), 'sb-gateways'], ['central', buildOvnSbClaimCommand(gwCr), 'sb-claim'],
        ...['gw1', 'gw2', 'gw3'].map((g) => [g, buildOvnChassisProbeCommand(), `${g}-chassis-probe`])] as [string, string, string][]) {
        const t = node(n);
        const r = await t.exec(cmd, { timeoutMs: 20_000 });
        await t.close();
        fs.writeFileSync(path.join(dump, `${file}.txt`), `#source: haprobe OVN lab (OVN 23.03.1 Debian 12, neutron Zed, profile ${profile}) ${new Date().toISOString()}, over SSH\n#what: ${file} (src/garp/ovn-drill-commands.ts) on ${n}, exit ${String(r.exitCode)}\n${r.stdout}`);
      }
    }
    const run = async (fault: 'tunnel-down' | 'stop-ovn-controller') => {
      let out = '';
      const o = await runDrillFailover({ inventory: lab().inventory, facts: lab().facts, profile: 'ovn', fault, yesIMeanIt: true, format: 'table' },
        (t) => (out += t), (t) => process.stderr.write(`      [${profile}] ${t}`));
      process.stderr.write(out.replace(/^/gm, `      [${profile}] `) + '\n');
      return o;
    };
    const before = Object.values(await crLrpChassis(holder('central')))[0];
    const t = await run('tunnel-down');
    expect(t.drill.oldPrimary).to.equal(before);
    expect(t.drill.newPrimary, t.drill.message).to.be.a('string').and.not.equal(before);
    expect(t.drill.firstGarpMs, t.drill.message).to.be.a('number');
    expect(t.drill.verdict, `${t.drill.message}\n${t.warnings.join('\n')}`).to.equal('pass');
    // issue 11: the standby's BFD toward the failed gateway, judged against max(min_rx, min_tx) × mult
    expect(t.explanation.join(' '), t.drill.message).to.match(/BFD detection seen \d+ ms after the fault, (≤|within) 3000 ms/);
    expect(t.restored.join(' ')).to.match(/set dt-up up on /);
    // the takeover's G-ARPs judged against the pattern of the new gateway's ovn-controller (23.03.1: 2-4-8-16 s)
    expect(t.explanation.join(' '), t.explanation.join('\n')).to.match(/fits ovn-stop-16s \(ovn-controller 23\.03\.1/);
    expect(t.primariesAfterRestore).to.deep.equal([before]);
    const s = await run('stop-ovn-controller');
    expect(s.drill.verdict, s.drill.message).to.be.oneOf(['skip', 'pass']);
    if (s.drill.verdict === 'skip') expect(s.explanation.join(' '), 'BFD said why nothing moved').to.match(/BFD toward the old gateway stayed up through the fault/);
    expect(s.restored.join(' ')).to.match(/ovn-controller (started again|was restarted)/);
    const alive = await runArgv(nodeArgv(holder(before!), ['sh', '-c', 'kill -0 "$(cat /run/ovn/ovn-controller.pid)"']), '', 10_000);
    expect(alive.code, 'ovn-controller runs again on the old gateway').to.equal(0);
  });

  it('failover (tunnel-down on the active gateway): the next chassis claims cr-lrp and G-ARPs the gateway IP from its provider port', async function () {
    this.timeout(120_000);
    const r = await ovnFailover({ stateDir, how: 'tunnel-down', holdMs: 15_000, watchMs: 15_000 });
    process.stderr.write(`      [${profile}] failover ${r.from} → ${r.to ?? 'none'}: BFD down ${String(r.bfdDownMs)} ms, claim ${String(r.claimMs)} ms, ` +
      `first G-ARP ${String(r.firstGarpMs)} ms (${String(r.firstGarpPort)}), outage ${r.outageMs} ms, budget ${String(r.budgetMs)} ms; ` +
      `back to ${String(r.back?.chassis)} after ${String(r.back?.claimMs)} ms with ${String(r.back?.garpsFromPreferred)} G-ARP(s); ` +
      `G-ARPs from other chassis meanwhile: ${JSON.stringify(r.othersGarps)}\n`);
    expect(r.to).to.be.a('string').and.not.equal(r.from);
    expect(r.firstGarpPort).to.equal(`ex-${r.to!}`);
    expect(r.back?.chassis).to.equal(r.from);
  });
  // issue 11: ovn-controller's G-ARPs judged by `garp verify -p ovn` (pattern of the chassis' version,
  // sender = the resident chassis, nobody else), and `garp watch --on ovn-uplinks` naming the chassis
  const dump = process.env.HAPROBE_OVN_GARP_DUMP;
  const vm1Fip = (): string => readNeutronState(p)!.ovn!.instances['vm1']!.fip!;
  it('garp verify -p ovn: --disassociate silent, --associate vm1 → cmp1 alone G-ARPs the FIP with its external_mac, ovn-controller 23.03 backoff 2-4-8-16 s', async function () {
    // the two CLI runs below may take 200 s each; beside the other lane they took 203–212 s together
    // in three runs and 240+ s in clean-clone run 15 (the test's old timeout)
    this.timeout(420_000);
    const common = ['garp', 'verify', '--inventory', lab().inventory, '--facts', lab().facts, '--profile', 'ovn', '--fip', vm1Fip(), '--deadline', '30s', '--format', 'json'];
    if (dump) fs.mkdirSync(path.join(dump, 'pcap-ass'), { recursive: true });
    const off = await runCli([...common, '--disassociate'], 200_000);
    expect(off.code, off.stderr.slice(-2000)).to.equal(0);
    const on = await runCli([...common, '--associate', 'vm1', ...(dump ? ['--pcap-dir', path.join(dump, 'pcap-ass')] : [])], 200_000);
    process.stderr.write(on.stderr.split('\n').filter((l) => /ms cmp|ms gw|change applied|expect /.test(l)).map((l) => `      [${profile}] ${l}\n`).join(''));
    expect(on.code, on.stderr.slice(-2000)).to.equal(0);
    const r = JSON.parse(on.stdout) as { plan: { pattern: string; expected: { node: string } }; verdict: { timeline: { t: number; node: string; role: string }[] } };
    const host = readNeutronState(p)!.ovn!.instances['vm1']!.host;
    expect(r.plan.expected.node).to.equal(profile === 'ovn' ? host : Object.values(await crLrpChassis(holder('central')))[0]);
    expect(r.plan.pattern).to.equal('ovn-stop-16s');
    const counted = r.verdict.timeline.filter((e) => e.role === 'counted');
    expect(counted.map((e) => e.node)).to.deep.equal(Array(5).fill(r.plan.expected.node));
    const gaps = counted.slice(1).map((e, i) => Math.round((e.t - counted[i]!.t) * 1000));
    process.stderr.write(`      [${profile}] ovn-controller G-ARP gaps ${gaps.join(', ')} ms\n`);
    if (dump) {
      fs.writeFileSync(path.join(dump, 'verify-associate.json'), on.stdout);
      const inv = loadInventoryAuto(lab().inventory);
      for (const n of [r.plan.expected.node, 'gw1']) {
        const t = createTransport(inv.nodes.find((x) => x.name === n)!, inv);
        const x = await t.exec(buildOvnGarpSettingsCommand(), { timeoutMs: 20_000 });
        await t.close();
        fs.writeFileSync(path.join(dump, `${n}-garp-settings.txt`), `#source: haprobe OVN lab (OVN 23.03.1 Debian 12, neutron Zed, profile ${profile}) ${new Date().toISOString()}, over SSH\n#what: buildOvnGarpSettingsCommand() on ${n}, exit ${String(x.exitCode)}\n${x.stdout}`);
      }
      const t = createTransport(inv.nodes.find((x) => x.name === 'central')!, inv);
      const x = await t.exec(buildOvnSbGatewaysCommand(), { timeoutMs: 20_000 });
      await t.close();
      fs.writeFileSync(path.join(dump, 'sb-gateways.txt'), `#source: haprobe OVN lab (OVN 23.03.1 Debian 12, neutron Zed, profile ${profile}) ${new Date().toISOString()}, over SSH\n#what: buildOvnSbGatewaysCommand() on central after the re-association, exit ${String(x.exitCode)}\n${x.stdout}`);
      fs.copyFileSync(lab().facts, path.join(dump, 'facts.json'));
    }
    expect(gaps.every((g, i) => Math.abs(g - [2000, 4000, 8000, 16000][i]!) < 1500), `gaps ${gaps.join(',')}`).to.equal(true);
  });

  it('garp watch --on ovn-uplinks: each G-ARP of the re-associated FIP is a row of the chassis that sent it', async function () {
    this.timeout(120_000);
    const api = await openLabApi();
    await setFloatingIpPort(api, vm1Fip(), null);
    await new Promise((r) => setTimeout(r, 3000));
    const nodes = ['gw1', 'gw2', 'gw3', 'cmp1', 'cmp2'].flatMap((n) => ['--node', n]);
    const watch = runCli(['garp', 'watch', '-i', lab().inventory, ...nodes, '--on', 'ovn-uplinks', '--duration', '14s', '--format', 'json', '--watch-ip', vm1Fip()], 90_000);
    await new Promise((r) => setTimeout(r, 5000));
    await setFloatingIpPort(api, vm1Fip(), await instancePortOf(api, 'vm1'));
    const w = await watch;
    expect(w.stderr).to.match(/chassis cmp1: frames leaving ex-up/);
    const a = JSON.parse(w.stdout) as { events: { node?: string; ip?: string; kind: string }[] };
    const mine = a.events.filter((e) => e.ip === vm1Fip() && e.kind.startsWith('garp'));
    if (dump) fs.writeFileSync(path.join(dump, 'watch-ovn-uplinks.json'), w.stdout);
    const host = readNeutronState(p)!.ovn!.instances['vm1']!.host;
    expect(mine.length, w.stdout.slice(0, 1500)).to.be.greaterThan(0);
    expect([...new Set(mine.map((e) => e.node))]).to.deep.equal([profile === 'ovn' ? host : Object.values(await crLrpChassis(holder('central')))[0]]);
  });

  it('ovn-gateway-chassis: enable-chassis-as-gw only in other_config is a gateway neutron Zed cannot see (warn); both columns again: clean', async function () {
    this.timeout(180_000);
    const central = holder('central');
    const sb = (args: string[]) => runArgv(nodeArgv(central, ['ovn-sbctl', ...args]), '', 15_000);
    expect((await sb(['remove', 'Chassis', 'gw2', 'external_ids', 'ovn-cms-options'])).code).to.equal(0);
    try {
      if (dump) {
        const [c, e] = [await sb(['--format=json', 'list', 'Chassis']), await sb(['--format=json', 'list', 'Encap'])];
        fs.writeFileSync(path.join(dump, 'sb-chassis-encap-gw2-other-config-only.txt'), `#source: haprobe OVN lab (OVN 23.03.1 Debian 12, neutron Zed) ${new Date().toISOString()}, after ovn-sbctl remove Chassis gw2 external_ids ovn-cms-options\n#what: ovn-sbctl --format=json list Chassis; ovn-sbctl --format=json list Encap on central\n${c.stdout.trim()}\n${e.stdout.trim()}\n`);
      }
      const { result } = await runAgainstLab(stateDir, 'ovn');
      const hit = result.findings.filter((f) => f.checkId === 'ovn-gateway-chassis' && f.verdict === 'warn');
      expect(describeFindings(hit)).to.match(/gw2: enable-chassis-as-gw only in other_config, and neutron zed/);
    } finally {
      await sb(['set', 'Chassis', 'gw2', 'external_ids:ovn-cms-options=enable-chassis-as-gw']);
    }
    const { result } = await runAgainstLab(stateDir, 'ovn');
    expect(describeFindings(result.findings.filter((f) => f.checkId === 'ovn-gateway-chassis' && f.verdict !== 'pass'))).to.equal('');
  });
  it('drill failover -p ovn --fault exit-ovn-controller: the chassis leaves, the next one claims cr-lrp and G-ARPs within budget; ovn-controller started again', async function () {
    this.timeout(240_000);
    const before = Object.values(await crLrpChassis(holder('central')))[0];
    let out = '';
    const o = await runDrillFailover({ inventory: lab().inventory, facts: lab().facts, profile: 'ovn', fault: 'exit-ovn-controller', yesIMeanIt: true, format: 'table' },
      (t) => (out += t), (t) => process.stderr.write(`      [${profile}] ${t}`));
    process.stderr.write(out.replace(/^/gm, `      [${profile}] `) + '\n');
    expect(o.drill.oldPrimary).to.equal(before);
    expect(o.drill.newPrimary, o.drill.message).to.be.a('string').and.not.equal(before);
    expect(o.drill.verdict, `${o.drill.message}\n${o.warnings.join('\n')}`).to.be.oneOf(['pass', 'warn']);
    expect(o.restored.join(' ')).to.match(/ovn-controller (started again|was restarted)/);
    const alive = await runArgv(nodeArgv(holder(before!), ['sh', '-c', 'kill -0 "$(cat /run/ovn/ovn-controller.pid)"']), '', 10_000);
    expect(alive.code, 'ovn-controller runs again on the old gateway').to.equal(0);
  });

  // OVN FDP-1418 (§7 #34), last: its return leaves the gateway address behind the second gateway's
  // port on the fabric. `lab failover --how block-peer-tunnel` (the trigger of OVN tests/multinode.at)
  // measures the fight and the return; the measurement and what `haprobe run` says during the fight
  // are reported, not asserted: the issue asks what haprobe shows (held as a standing fault, the fight
  // did not reach `haprobe run` reliably: see ROWS_NOT_REPRODUCED).
  it('OVN FDP-1418 (§7 #34): block-peer-tunnel — the two gateways fight for cr-lrp, the return comes without a G-ARP; the preferred gateway holds cr-lrp after the undo', async function () {
    this.timeout(400_000);
    const fo = ovnFailover({ stateDir, how: 'block-peer-tunnel', holdMs: 40_000, watchMs: 20_000 });
    await new Promise((r) => setTimeout(r, 12_000));
    const during = await runAgainstLab(stateDir, 'ovn');
    const r = await fo;
    const seen = describeFindings(during.result.findings.filter((f) => f.verdict !== 'pass' && f.checkId.startsWith('ovn-')));
    process.stderr.write(`      [${profile}] block-peer-tunnel on ${r.from} (peer ${r.peer}): BFD down ${String(r.bfdDownMs)} ms, ${String(r.to)} claims at ${String(r.claimMs)} ms, ` +
      `first G-ARP ${String(r.firstGarpMs)} ms (${String(r.firstGarpPort)}), claim changed hands ${r.claimChanges}×, outage while held ${r.outageMs} ms; ` +
      `undone: ${String(r.back?.chassis)} back after ${String(r.back?.claimMs)} ms with ${String(r.back?.garpsFromPreferred)} G-ARP(s) (first ${String(r.back?.firstGarpMs)} ms), ` +
      `ping outage after the undo ${String(r.back?.outageMs)} ms; G-ARPs from other chassis: ${JSON.stringify(r.othersGarps)}\n` +
      `      [${profile}] haprobe run -p ovn during the fault (exit ${during.code}):\n${seen.replace(/^/gm, '        ')}\n`);
    expect(r.peer).to.not.equal(r.from);
    const back = await crLrpChassis(holder('central'));
    expect(Object.values(back)[0], 'the preferred gateway holds cr-lrp after the undo').to.equal(r.from);
  });
});
