import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSource } from '../../src/analyze/load-source';
import { classifyOutputFile } from '../../src/analyze/classify-output-file';
import { subjectKey } from '../../src/engine/evaluate';
import type { RunResult } from '../../src/report/result';
import { analyzeNodes, factsOf, loadAll, sosDirsOf } from './sos-fixtures';

const failing = (r: RunResult): string[] =>
  [...new Set(r.findings.filter((f) => f.verdict === 'fail' || f.verdict === 'error').map((f) => `${f.checkId} ${subjectKey(f.subject)}`))].sort();

describe('analyze: run files and pasted outputs', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hp-analyze-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('a run file is an evidence bundle: analyzing it again gives the same findings, evidence ids kept', async () => {
    const state = 'l3ha-split-brain';
    const first = analyzeNodes(await loadAll(sosDirsOf(state)), factsOf(state));
    const file = path.join(tmp, 'run.json');
    fs.writeFileSync(file, JSON.stringify(first));
    const nodes = await loadSource(file);
    expect(nodes.map((n) => `${n.name} ${n.kind} ${n.roles?.join(',')}`)).to.deep.equal(['cmp1 evidence-bundle compute', 'net1 evidence-bundle network', 'net2 evidence-bundle network', 'net3 evidence-bundle network', 'upstream evidence-bundle gateway']);
    const again = analyzeNodes(nodes, factsOf(state));
    expect(failing(again)).to.deep.equal(failing(first));
    expect(again.summary).to.deep.equal(first.summary);
    const id = again.findings.find((f) => f.verdict === 'fail')!.evidence[0];
    expect(again.evidence.find((e) => e.id === id)?.command).to.match(/^run\.json: file:sosreport-/);
  });

  it('a folder of outputs pasted under their command names is one node', async () => {
    const sos = sosDirsOf('l3ha-split-brain').find((d) => path.basename(d).startsWith('sosreport-net1-')) as string;
    const ns = `qrouter-b7b1f8e9-2245-40a1-8575-d7dfa585cfa0`;
    const dir = path.join(tmp, 'net1');
    fs.mkdirSync(path.join(dir, 'var/lib/neutron/ha_confs/b7b1f8e9-2245-40a1-8575-d7dfa585cfa0'), { recursive: true });
    const copy = (from: string, to: string): void => fs.copyFileSync(path.join(sos, from), path.join(dir, to));
    copy('sos_commands/networking/ip_netns', 'ip netns.txt');
    copy(`sos_commands/networking/ip_netns_exec_${ns}_ip_address_show`, `ip netns exec ${ns} ip a.txt`);
    copy(`sos_commands/networking/ip_netns_exec_${ns}_iptables-save`, `ip netns exec ${ns} iptables-save.out`);
    copy('sos_commands/openvswitch/ovs-vsctl_-t_5_show', 'ovs-vsctl show');
    copy('var/lib/neutron/ha_confs/b7b1f8e9-2245-40a1-8575-d7dfa585cfa0/keepalived.conf', 'var/lib/neutron/ha_confs/b7b1f8e9-2245-40a1-8575-d7dfa585cfa0/keepalived.conf');
    const [node] = await loadSource(dir);
    expect(node.name).to.equal('net1');
    expect(node.kind).to.equal('pasted');
    expect(node.files!.outputs.map((o) => `${o.kind} ${o.namespace ?? o.router ?? ''}`).sort()).to.deep.equal([
      `ip-addr ${ns}`, `iptables-save ${ns}`, 'keepalived-conf b7b1f8e9-2245-40a1-8575-d7dfa585cfa0', 'netns ', 'ovs-vsctl-show ',
    ]);
    const r = analyzeNodes([node], factsOf('l3ha-split-brain'));
    // every finding's evidence is a pasted file; what was not pasted is said
    for (const f of r.findings) for (const id of f.evidence) expect(r.evidence.find((e) => e.id === id)?.command).to.match(/^file:net1:/);
    expect((r.warnings ?? []).filter((w) => w.section === '(missing)').map((w) => w.message)).to.include(`${ns}: no ip route, ip rule`);
  });

  it('classifies the file names sos 4.0 (Debian 12) and sos 4.x write', () => {
    const ns = 'qrouter-1';
    const table: [string, string | undefined][] = [
      ['sos_commands/networking/ip_netns', 'netns'],
      ['sos_commands/networking/ip_-d_address', 'ip-addr:'],
      ['sos_commands/networking/ip_-o_addr', undefined],
      ['sos_commands/networking/ip_-4_rule', 'ip-rule:'],
      ['sos_commands/networking/ip_-6_rule', undefined],
      ['sos_commands/networking/ip_-6_route_show_table_all', undefined],
      ['sos_commands/networking/ip_route_show_table_all', 'ip-route:'],
      ['sos_commands/networking/ip_-s_-s_neigh_show', 'ip-neigh:'],
      ['sos_commands/networking/ip_neigh_show_nud_noarp', undefined],
      [`sos_commands/networking/ip_netns_exec_${ns}_ip_address_show`, `ip-addr:${ns}`],
      [`sos_commands/networking/namespaces/${ns}/ip_netns_exec_${ns}_ip_-d_address_show`, `ip-addr:${ns}`],
      [`sos_commands/networking/namespaces/${ns}/ip_netns_exec_${ns}_ip_-4_rule_list`, `ip-rule:${ns}`],
      [`sos_commands/networking/ip_netns_exec_${ns}_iptables-save`, `iptables-save:${ns}`],
      [`sos_commands/networking/namespaces/${ns}/ip_netns_exec_${ns}_ip6tables-save`, undefined],
      ['sos_commands/openvswitch/ovs-vsctl_-t_5_show', 'ovs-vsctl-show'],
      ['sos_commands/openvswitch/ovs-ofctl_dump-flows_br-int', 'ovs-ofctl-dump-flows'],
      ['sos_commands/openvswitch/ovs-ofctl_-O_OpenFlow13_dump-flows_br-int', undefined],
      ['sos_commands/openvswitch/ovs-appctl_fdb.show_br-int', 'ovs-fdb'],
      ['var/lib/neutron/ha_confs/r1/keepalived.conf', 'keepalived-conf'],
      ['var/lib/neutron/ha_confs/r1.pid.keepalived', undefined],
      ['proc/net/route', undefined],
      ['etc/hostname', 'hostname'],
    ];
    for (const [file, want] of table) {
      const c = classifyOutputFile(file);
      const got = c === undefined ? undefined : c.namespace !== undefined ? `${c.kind}:${c.namespace}` : c.kind;
      expect(got, file).to.equal(want);
    }
  });
});
