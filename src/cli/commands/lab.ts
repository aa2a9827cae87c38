import { Option, type Command } from 'commander';
import { HaprobeError } from '../../errors';
import {
  applyFault, associateFip, disassociateFip, failoverRouter, FAULTS, faultLabel, healFaults, labDown, labStatus, labUp, PROFILES, restoreRouter,
} from '../../lab';
import type { LabUpOptions } from '../../lab';
import { LAB_RELEASES } from '../../lab/releases';
import { NOVA_FAULTS } from '../../lab/nova/faults';
import { listEveryFault, renderFaultTable } from '../../lab/faults-table';
import { renderFaultDocBlock } from '../../lab/fault-docs';
import { NOVA_LAB_PROFILES } from '../../lab/nova/plan';
import { neutronLabDown } from '../../lab/neutron/down';
import { neutronLabUp } from '../../lab/neutron/up';
import { applyNeutronFault, healNeutronFaults, NEUTRON_FAULTS } from '../../lab/neutron/faults';
import { OVN_FAILOVER_HOWS, ovnFailover, type OvnFailoverHow } from '../../lab/neutron/ovn-failover';
import { applyOvnFault, healOvnFaults, isOvnFault, isOvnLabUp, listOvnFaults, OVN_FAULTS } from '../../lab/neutron/ovn-faults';
import { EXIT } from '../exit-codes';
import { reportExitCode } from '../context';

/** `haprobe lab up|down|status|fip|failover|restore|fault|heal` — the emulated cloud (root only) */
function out(json: boolean, value: unknown, text: () => string): void {
  process.stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : text() + '\n');
}

function intArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new HaprobeError('usage', `not an integer: ${v}`);
  return n;
}

export function registerLab(program: Command): void {
  const lab = program
    .command('lab')
    .description('Build and drive the emulated OpenStack lab on this machine (needs root)')
    .option('--state-dir <dir>', 'lab state dir (default $HAPROBE_LAB_DIR or /var/tmp/haprobe-lab)')
    .option('--json', 'machine-readable output');
  const g = (): { stateDir?: string; json: boolean } => {
    const o = lab.opts<{ stateDir?: string; json?: boolean }>();
    return { stateDir: o.stateDir, json: o.json === true };
  };

  lab.command('up')
    .description(`build a lab: ${[...PROFILES, ...NOVA_LAB_PROFILES].map((p) => p.id).join(' | ')}`)
    .requiredOption('-p, --profile <id>', 'lab profile (the HA profile the lab is built for)')
    .option('--computes <n>', 'number of compute nodes', intArg)
    .option('--release <release>', `neutron release to render: ${LAB_RELEASES.join(' | ')} (default: the lab's mixed era, facts release "pike+")`)
    .option('--firewall-driver <driver>', 'OVS agent firewall_driver: openvswitch | iptables_hybrid (default: table-24 flows on tap ports)')
    .option('--ipv6', 'dual-stack tenant and external subnets')
    .option('--agent-mode <mode>', 'agent_mode of the computes\' L3 agents (DVR profiles): dvr_no_external')
    .option('--light', 'light computes (sshd, namespaces, OVS with the compute ports, one instance in the lab): --computes up to 200 (scale runs, docs/scale.md)')
    .option('--extras', 'neutron-l3ha: a second HA router (no gateway) on the same HA network and an admin-down port')
    .option('--engine <engine>', 'hand (the emulated data plane, default) | neutron (real OpenStack Zed agents, docs/real-engine.md; profiles neutron-* and ovn, ovn-centralized: docs/ovn-lab.md)', 'hand')
    .action(async (o: { profile: string; computes?: number; release?: string; firewallDriver?: string; ipv6?: boolean; agentMode?: string; extras?: boolean; light?: boolean; engine: string }) => {
      const { stateDir, json } = g();
      if (o.engine === 'neutron') {
        const r = await neutronLabUp({ profile: o.profile, stateDir, progress: json ? undefined : (m) => process.stderr.write(`  ${m}\n`) });
        out(json, r, () => [
          `lab ${r.profile} (real neutron engine) up in ${(r.upMs / 1000).toFixed(1)} s`,
          ...r.nodes.map((n) => `  ${n.name.padEnd(9)} ${n.address.padEnd(13)} ${n.roles.join(',')}`),
          r.haPrimary ? `  HA primary: ${r.haPrimary}` : '', r.fip ? `  floating IP: ${r.fip}` : '',
          `inventory: ${r.inventory}`, `facts:     ${r.facts}`, `clouds:    ${r.cloudsYaml}`, `state:     ${r.labJson}`,
        ].filter(Boolean).join('\n'));
        return;
      }
      if (o.engine !== 'hand') throw new HaprobeError('usage', `--engine must be hand or neutron`);
      const res = await labUp({
        profile: o.profile, computes: o.computes, stateDir, renderer: json ? 'silent' : undefined,
        release: o.release as LabUpOptions['release'], firewallDriver: o.firewallDriver as LabUpOptions['firewallDriver'],
        ipv6: o.ipv6, computeAgentMode: o.agentMode as LabUpOptions['computeAgentMode'], extras: o.extras, light: o.light,
      });
      const variant = Object.entries(res.variant).map(([k, v]) => (v === true ? k : `${k} ${String(v)}`)).join(', ');
      out(json, res, () => [
        `lab ${res.profile} (release ${res.release}${variant ? `; ${variant}` : ''}) up in ${(res.upMs / 1000).toFixed(1)} s`,
        ...res.nodes.map((n) => `  ${n.name.padEnd(9)} ${n.address.padEnd(13)} ${n.roles.join(',')}`),
        res.haPrimary ? `  HA primary: ${res.haPrimary}` : '',
        `inventory: ${res.inventory}`, `facts:     ${res.facts}`, `state:     ${res.labJson}`,
      ].filter(Boolean).join('\n'));
    });

  lab.command('down').description('remove everything the lab made')
    .option('--engine <engine>', 'hand (default) | neutron', 'hand')
    .action(async (o: { engine: string }) => {
    const { stateDir, json } = g();
    if (o.engine === 'neutron') {
      const r = await neutronLabDown({ stateDir });
      out(json, r, () => `lab down in ${r.downMs} ms: ${r.netnsRemoved.length} namespaces, ${r.nodeProcessesKilled} node and ` +
        `${r.controlProcessesKilled} control-plane processes stopped, databases dropped: ${r.databasesDropped.join(', ') || 'none'}`);
      return;
    }
    const res = await labDown({ stateDir });
    out(json, res, () => `lab down in ${res.downMs} ms: ${res.netnsRemoved.length} namespaces, ${res.holdersKilled} nodes, ` +
      `${res.processesKilled} processes removed`);
  });

  lab.command('status').description('nodes and whether each answers SSH').action(async () => {
    const { stateDir, json } = g();
    const st = await labStatus({ stateDir });
    if (!st.up) reportExitCode(EXIT.UNREACHABLE);
    else if (st.nodes.some((n) => !n.ssh)) reportExitCode(EXIT.UNREACHABLE);
    out(json, st, () => !st.profile ? `no lab in ${st.stateDir}` : [
      `lab ${st.profile} (${st.phase}) in ${st.stateDir}`,
      ...st.nodes.map((n) => `  ${n.name.padEnd(9)} ${n.address.padEnd(13)} ssh ${n.ssh ? 'ok  ' : 'DOWN'}${n.haState ? ` ha ${n.haState}` : ''}`),
      `  floating IPs: ${Object.entries(st.fips).map(([f, i]) => `${f}→${i}`).join(' ') || 'none'}`,
      ...st.faults.map((f) => `  fault ${f.name} on ${f.subject} (check ${f.check})`),
    ].join('\n'));
  });

  const fip = lab.command('fip').description('associate or disassociate a floating IP as the L3 agent does');
  fip.command('associate')
    .requiredOption('--fip <ip>', 'floating IP from the lab pool (203.0.113.101…)')
    .option('--instance <name>', 'instance (vm1…); default: the pool owner')
    .option('--no-garp', 'no G-ARP at all')
    .option('--wrong-sender', 'announce as "who-has FIP tell <gw ip>" (not a G-ARP)')
    .action(async (o: { fip: string; instance?: string; garp: boolean; wrongSender?: boolean }) => {
      const { stateDir, json } = g();
      const rec = await associateFip({ stateDir, fip: o.fip, instance: o.instance, noGarp: !o.garp, wrongSender: o.wrongSender });
      out(json, rec, () => `associated ${rec.fip} → ${rec.fixedIp} (${rec.instance}) on ${rec.node} ${rec.device}; ` +
        `G-ARP: ${rec.garp ? `${rec.garp.pattern}, ${rec.garp.sentAtMs.length} arping runs` : 'keepalived (SIGHUP)'}`);
    });
  fip.command('disassociate')
    .requiredOption('--fip <ip>', 'floating IP')
    .action(async (o: { fip: string }) => {
      const { stateDir, json } = g();
      const rec = await disassociateFip({ stateDir, fip: o.fip });
      out(json, rec, () => `disassociated ${rec.fip} from ${rec.instance} on ${rec.node}`);
    });

  lab.command('failover')
    .description('make the current primary of the HA router lose it')
    .option('--router <id>', 'router id')
    .option('--how <how>', 'kill-keepalived | link-down; OVN lab (--engine neutron): tunnel-down | exit-ovn-controller | stop-ovn-controller | block-peer-tunnel (OVN FDP-1418)', 'kill-keepalived')
    .option('--engine <engine>', 'hand (default) | neutron (the OVN lab: the gateway claiming cr-lrp, measured, docs/ovn-lab.md)', 'hand')
    .action(async (o: { router?: string; how: string; engine: string }) => {
      const { stateDir, json } = g();
      if (o.engine === 'neutron') {
        if (!(OVN_FAILOVER_HOWS as readonly string[]).includes(o.how)) throw new HaprobeError('usage', `--how must be one of ${OVN_FAILOVER_HOWS.join(', ')} on the OVN lab`);
        const r = await ovnFailover({ stateDir, how: o.how as OvnFailoverHow });
        const ms = (v?: number): string => (v === undefined ? '-' : `${v} ms`);
        out(json, r, () => [
          `OVN failover (${r.how}) ${r.from} → ${r.to ?? 'NONE (the chassis kept cr-lrp)'}`,
          `  peer BFD down ${ms(r.bfdDownMs)} · cr-lrp claimed ${ms(r.claimMs)} · first G-ARP ${ms(r.firstGarpMs)}${r.firstGarpPort ? ` from ${r.firstGarpPort}` : ''} · ` +
            `ping outage of ${r.gatewayIp} ${r.outageMs} ms · BFD budget ${ms(r.budgetMs)}`,
          `  claim changed hands ${r.claimChanges} time(s) while the fault held (BFD watched on ${r.peer})`,
          `  undone: ${r.back?.chassis ?? 'not'} back after ${ms(r.back?.claimMs)}, ${r.back?.garpsFromPreferred ?? 0} G-ARP(s) from it (first ${ms(r.back?.firstGarpMs)}; none = OVN FDP-1418), ` +
            `ping outage after the undo ${ms(r.back?.outageMs)}`,
        ].join('\n'));
        return;
      }
      if (o.how !== 'kill-keepalived' && o.how !== 'link-down') throw new HaprobeError('usage', `--how must be kill-keepalived or link-down`);
      const rec = await failoverRouter({ stateDir, router: o.router, how: o.how });
      out(json, rec, () => `failover (${rec.how}) ${rec.fromNode} → ${rec.toNode ?? 'NONE'}` +
        (rec.newPrimaryAtMs ? ` in ${rec.newPrimaryAtMs - rec.actedAtMs} ms` : ''));
    });
  lab.command('restore').description('undo `lab failover`').action(async () => {
    const { stateDir, json } = g();
    const recs = await restoreRouter({ stateDir });
    out(json, recs, () => `restored ${recs.length} failover(s)`);
  });

  lab.command('faults')
    .description('list every fault: its ground-truth §7 row, bug number(s) and the check that must catch it')
    .addOption(new Option('--format <format>', 'output format (markdown: the table of docs/faults.md)').choices(['table', 'json', 'markdown']).default('table'))
    .option('--engine <engine>', 'hand (default) | neutron (the real engine\'s faults, docs/real-engine-faults.md)', 'hand')
    .action((o: { format: string; engine: string }) => {
      const { json } = g();
      if (o.engine === 'neutron') {
        const rows = NEUTRON_FAULTS.map((f) => ({ name: f.name, description: f.description, heal: f.heal }));
        out(json || o.format === 'json', rows, () => rows.map((r) => `${r.name}\n  ${r.description}\n  heal: ${r.heal}`).join('\n'));
        return;
      }
      // the nova, OVN and real-engine labs' faults are listed with the bug rows they reproduce (issues 9, 11, 12), §7 order
      const rows = listEveryFault();
      out(json || o.format === 'json', rows, () => (o.format === 'markdown' ? renderFaultDocBlock('fault-all', rows) : renderFaultTable(rows)));
    });
  lab.command('fault')
    .description(`inject a fault: ${[...FAULTS, ...NOVA_FAULTS, ...OVN_FAULTS].map(faultLabel).join(' | ')}`)
    .argument('<name>')
    .option('--node <node>', 'node to apply it to (default chosen per fault)')
    .option('--engine <engine>', `hand (default) | neutron (real-engine faults: ${NEUTRON_FAULTS.map((f) => f.name).join(' | ')}; docs/real-engine-faults.md)`, 'hand')
    .action(async (name: string, o: { node?: string; engine: string }) => {
      const { stateDir, json } = g();
      // OVN faults act on the real engine's OVN lab (issue 11, src/lab/neutron/ovn-faults.ts)
      if (isOvnFault(name)) {
        const rec = await applyOvnFault({ stateDir, name, node: o.node });
        out(json, rec, () => `fault ${rec.name} applied on ${rec.subject}; check that must catch it: ${rec.check}` + (rec.also ? ` (also: ${rec.also})` : ''));
        return;
      }
      if (o.engine === 'neutron') {
        const r = await applyNeutronFault({ stateDir, name, node: o.node });
        out(json, r, () => `fault ${r.name} applied on ${r.subject}: ${Object.entries(r.detail).map(([k, v]) => `${k}=${String(v)}`).join(' ')}`);
        return;
      }
      const rec = await applyFault({ stateDir, name, node: o.node });
      out(json, rec, () => `fault ${rec.name} applied on ${rec.subject}; check that must catch it: ${rec.check}` +
        (rec.also ? ` (also: ${rec.also})` : ''));
    });
  lab.command('heal')
    .description('undo one fault or all')
    .argument('[name]')
    .option('--engine <engine>', 'hand (default) | neutron (the real engine\'s faults, or the OVN lab\'s)', 'hand')
    .action(async (name: string | undefined, o: { engine: string }) => {
      const { stateDir, json } = g();
      if ((name !== undefined && isOvnFault(name)) || (o.engine === 'neutron' && name === undefined && isOvnLabUp(stateDir))) {
        const recs = await healOvnFaults({ stateDir, name });
        out(json, recs, () => recs.length === 0 ? 'no fault applied' : recs.map((r) => `healed ${r.name} on ${r.subject}`).join('\n'));
        return;
      }
      if (o.engine === 'neutron') {
        const recs = await healNeutronFaults({ stateDir, name });
        out(json, recs, () => recs.length === 0 ? 'no fault applied' : recs.map((r) => `healed ${r.name} on ${r.subject}`).join('\n'));
        return;
      }
      const recs = await healFaults({ stateDir, name });
      out(json, recs, () => recs.length === 0 ? 'no fault applied' : recs.map((r) => `healed ${r.name} on ${r.subject}`).join('\n'));
    });
}
