import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  buildDoctorProbeScript,
  classifyArping,
  doctorExitCode,
  judgeDoctorNode,
  parseDoctorProbe,
  parseIptablesVersion,
  renderDoctorTable,
  type DoctorReport,
  type DoctorRow,
  type NodeObservation,
} from '../../src/doctor';
import type { InventoryNode } from '../../src/inventory/types';
import { EXIT } from '../../src/cli/exit-codes';
import { answerLate } from '../../src/doctor/run-doctor';

const FIX = path.resolve(__dirname, '../../../test/doctor/fixtures');
/** a fixture without its #source/#what header */
const real = (name: string): string => fs.readFileSync(path.join(FIX, name), 'utf8').replace(/^(#(source|what):.*\n)+/, '');

const NET: InventoryNode = { name: 'net1', address: '192.0.2.1', port: 22, user: 'root', roles: ['network'], sudo: false };
const CLOCK = { node: 'net1', offsetMs: 2, uncertaintyMs: 1, rttMs: 2, samples: 3 };

function observe(probeText: string, extra: Partial<NodeObservation> = {}): NodeObservation {
  return { node: NET, hostKeysUnchecked: false, statePath: '/var/lib/neutron', probe: { parsed: parseDoctorProbe(probeText).value }, clock: CLOCK, ...extra };
}
const row = (rows: DoctorRow[], check: string): DoctorRow => rows.find((r) => r.check === check)!;

/** replace one section of a real probe output */
function withSection(text: string, key: string, body: string, rc = 0): string {
  const re = new RegExp(`@@HD>${key}\\n[\\s\\S]*?@@HD<${key} -?\\d+`);
  const section = `@@HD>${key}\n${body}\n@@HD<${key} ${rc}`;
  return re.test(text) ? text.replace(re, section) : `${text}\n${section}\n`;
}

describe('doctor: preflight judgement (issue 13)', () => {
  const host = real('probe-debian12-host.txt');

  it('parses the real probe output of a Debian 12 host into sections, nothing left over', () => {
    const { value, warnings } = parseDoctorProbe(host);
    expect(warnings).to.deep.equal([]);
    expect(value.sections.get('whoami')).to.deep.equal({ text: 'root', rc: 0 });
    expect(value.sections.get('iptables-version')?.text).to.equal('iptables v1.8.9 (nf_tables)');
    expect(value.sections.get('ha-confs-dir')?.rc).to.equal(1);
  });

  it('a cut output keeps the open section (rc null) and stray lines become warnings with line numbers', () => {
    const { value, warnings } = parseDoctorProbe('junk\n@@HD>whoami\nroot\n');
    expect(value.sections.get('whoami')).to.deep.equal({ text: 'root', rc: null });
    expect(warnings).to.deep.equal([{ line: 1, text: 'junk' }]);
  });

  it('real host: tools found, no ovsdb → ovs fails on a network node with the fix; docker without daemon is not an agent container', () => {
    const rows = judgeDoctorNode(observe(host));
    expect(row(rows, 'ip-json')).to.include({ status: 'ok', detail: 'iproute2 6.1.0 answers ip -j' });
    expect(row(rows, 'iptables')).to.include({ status: 'ok', detail: 'iptables-save 1.8.9 (nf_tables)' });
    expect(row(rows, 'ovs')).to.include({ status: 'fail' });
    expect(row(rows, 'ovs').fix).to.match(/ovsdb-server/);
    expect(row(rows, 'tcpdump')).to.include({ status: 'ok', detail: 'tcpdump 4.99.3' });
    expect(row(rows, 'arping')).to.include({ status: 'ok', detail: 'iputils arping 20221126 on the host' });
    expect(row(rows, 'containers').detail).to.match(/docker CLI present, daemon not answering/);
    expect(row(rows, 'keepalived')).to.include({ status: 'ok' });
    expect(row(rows, 'clock')).to.include({ status: 'ok', detail: 'offset +2 ms ±1 ms to this machine' });
  });

  describe('arping: iputils vs Thomas Habets', () => {
    it('real outputs', () => {
      expect(classifyArping(real('arping-V-iputils-20221126.txt'))).to.deep.equal({ kind: 'iputils', version: '20221126' });
      expect(classifyArping(real('arping-V-habets-2.23.txt'))).to.deep.equal({ kind: 'habets', version: '2.23' });
      expect(classifyArping('arping utility, iputils-s20180629')).to.deep.equal({ kind: 'iputils', version: '20180629' });
      expect(classifyArping('something else')).to.deep.equal({ kind: 'unknown' });
    });
    it('Habets on a network node fails with the iputils fix; on a controller it is a warning', () => {
      const text = withSection(host, 'arping', real('arping-V-habets-2.23.txt'), 1);
      const fail = row(judgeDoctorNode(observe(text)), 'arping');
      expect(fail).to.include({ status: 'fail' });
      expect(fail.detail).to.match(/Thomas Habets' arping 2\.23 on the host: .*not a gratuitous ARP/);
      expect(fail.fix).to.match(/apt-get install iputils-arping/);
      expect(row(judgeDoctorNode(observe(text, { node: { ...NET, roles: ['controller'] } })), 'arping').status).to.equal('warn');
    });
  });

  it('tools missing: tcpdump fails on a network node (garp capture), warns on a compute', () => {
    const text = withSection(host, 'which', 'ip /usr/sbin/ip\niptables-save /usr/sbin/iptables-save\novs-vsctl /usr/bin/ovs-vsctl\novs-ofctl /usr/bin/ovs-ofctl\narping /usr/bin/arping');
    expect(row(judgeDoctorNode(observe(text)), 'tcpdump')).to.include({ status: 'fail', detail: 'tcpdump not found: garp watch/verify cannot capture here' });
    expect(row(judgeDoctorNode(observe(text, { node: { ...NET, roles: ['compute'] } })), 'tcpdump').status).to.equal('warn');
  });

  it('iptables backends: parsed, and a legacy-writing agent container under an nf_tables host is a warning with the switch', () => {
    expect(parseIptablesVersion('iptables v1.8.4 (legacy)')).to.deep.equal({ version: '1.8.4', backend: 'legacy' });
    expect(parseIptablesVersion('iptables v1.6.1')).to.deep.equal({ version: '1.6.1', backend: 'legacy' });
    // kolla shape: neutron_l3_agent in docker, its /var/lib/neutron not mounted from the host
    let text = withSection(host, 'which', 'ip /usr/sbin/ip\niptables-save /usr/sbin/iptables-save\niptables /usr/sbin/iptables\novs-vsctl /usr/bin/ovs-vsctl\novs-ofctl /usr/bin/ovs-ofctl\ntcpdump /usr/bin/tcpdump\ndocker /usr/bin/docker');
    text = withSection(text, 'ps:docker', 'neutron_l3_agent\nopenvswitch_vswitchd\nneutron_openvswitch_agent\nhorizon');
    text = withSection(text, 'in:docker:neutron_l3_agent:keepalived', 'Keepalived v2.0.19 (10/19,2019)');
    text = withSection(text, 'in:docker:neutron_l3_agent:arping', 'arping from iputils s20190709');
    text = withSection(text, 'in:docker:neutron_l3_agent:iptables', 'iptables v1.8.4 (legacy)');
    text = withSection(text, 'in:docker:neutron_l3_agent:mounts', '/etc/kolla/neutron-l3-agent/:/var/lib/kolla/config_files/ /run/netns:/run/netns ');
    text = withSection(text, 'in:docker:neutron_l3_agent:ha-confs', '', 0);
    text = text.replace(/@@HD>ovs-show[\s\S]*?@@HD<ovs-show 1/, '@@HD>ovs-show\nBridge br-int\n@@HD<ovs-show 0');
    const rows = judgeDoctorNode(observe(text));
    expect(row(rows, 'iptables').status).to.equal('warn');
    expect(row(rows, 'iptables').fix).to.match(/update-alternatives --set iptables \/usr\/sbin\/iptables-legacy/);
    expect(row(rows, 'containers')).to.include({ status: 'ok' });
    expect(row(rows, 'containers').detail).to.match(/docker: neutron_l3_agent, openvswitch_vswitchd, neutron_openvswitch_agent; L3 agent in docker container neutron_l3_agent/);
    expect(row(rows, 'arping').detail).to.match(/iputils arping 20190709 in neutron_l3_agent/);
    const k = row(rows, 'keepalived');
    expect(k.status).to.equal('warn');
    expect(k.detail).to.match(/keepalived 2\.0\.19 in neutron_l3_agent; ha_confs is inside neutron_l3_agent/);
    expect(k.fix).to.match(/bind-mount it to the host/);
    // TripleO shape: podman, /var/lib/neutron bind-mounted from the host → the fix names the host path
    const tripleo = withSection(text.replace(/in:docker:/g, 'in:podman:'), 'in:podman:neutron_l3_agent:mounts', '/var/lib/neutron:/var/lib/neutron /run/netns:/run/netns');
    expect(row(judgeDoctorNode(observe(tripleo, { statePath: '/srv/neutron' })), 'keepalived').fix).to.equal('run with --neutron-state-path /var/lib/neutron (the container\'s /var/lib/neutron on the host)');
  });

  it('ssh: each connect failure gets its fix, and nothing else is judged', () => {
    const fix = (reason: 'hostkey' | 'auth' | 'timeout', message = 'x'): DoctorRow[] =>
      judgeDoctorNode({ node: { ...NET, user: 'stack', identityFile: '/k', jump: 'ops@198.51.100.1' }, hostKeysUnchecked: false, knownHostsFile: '/kh', statePath: '/v', connect: { reason, message } });
    expect(fix('hostkey')).to.have.length(1);
    expect(fix('hostkey')[0].fix).to.match(/ssh-keyscan -p 22 192\.0\.2\.1 >> \/kh/);
    expect(fix('auth')[0].fix).to.equal('install your key for stack: ssh-copy-id -i /k stack@192.0.2.1 -J ops@198.51.100.1');
    expect(fix('timeout')[0].fix).to.match(/^check address, port and jump host/);
  });

  it('sudo: refused is a fail with the sudoers fix; without root the root-only items are skipped, not failed', () => {
    const node: InventoryNode = { ...NET, user: 'haprobe', sudo: true };
    const asUser = withSection(host, 'whoami', 'haprobe').replace(/@@HD>ps:docker[\s\S]*?@@HD<ps:docker 1/, '@@HD>ps:docker\npermission denied while trying to connect to the Docker daemon socket\n@@HD<ps:docker 1');
    const rows = judgeDoctorNode(observe(asUser, { node, sudo: { failure: { reason: 'sudo', message: 'sudo refused: a password is required' }, exitCode: 1, stderr: '' } }));
    expect(row(rows, 'sudo')).to.include({ status: 'fail', detail: 'sudo refused: a password is required' });
    expect(row(rows, 'sudo').fix).to.match(/\/etc\/sudoers\.d\/haprobe \(for user haprobe\)/);
    expect(row(rows, 'ovs').status).to.equal('skip');
    expect(row(rows, 'containers').status).to.equal('skip');
  });

  it('keepalived: router state files under ha_confs are counted (grep -H: also one router)', () => {
    const text = withSection(withSection(host, 'ha-confs-dir', '', 0), 'ha-confs', '/var/lib/neutron/ha_confs/8b1e0a4c-5f7e-4b0f-9d0b-3f5a2c1d9e11/state:1');
    expect(row(judgeDoctorNode(observe(text)), 'keepalived')).to.include({ status: 'ok', detail: 'keepalived 2.2.7; /var/lib/neutron/ha_confs on the host, 1 router state file(s)' });
  });

  it('clock: beyond 500 ms is a warning with the fix', () => {
    const rows = judgeDoctorNode(observe(host, { clock: { ...CLOCK, offsetMs: -1800 } }));
    expect(row(rows, 'clock')).to.include({ status: 'warn', detail: 'offset -1800 ms ±1 ms to this machine' });
    // a slow round trip is no skew: +350 ms ±360 ms was measured on the lab (one clock) under load
    expect(row(judgeDoctorNode(observe(host, { clock: { ...CLOCK, offsetMs: 350, uncertaintyMs: 360 } })), 'clock').status).to.equal('ok');
  });

  it('exit codes as for run: 1 on a failing reachable node, 3 when only nodes are unreachable, 0 with warnings only', () => {
    const report = (rows: DoctorRow[]): DoctorReport => ({ schemaVersion: 1, tool: 'haprobe doctor', startedAt: '', durationMs: 0, inventory: 'i', nodes: [], rows, warnings: [] });
    const r = (check: DoctorRow['check'], status: DoctorRow['status']): DoctorRow => ({ node: 'n', check, status, detail: '' });
    expect(doctorExitCode(report([r('ssh', 'ok'), r('clock', 'warn')]))).to.equal(EXIT.OK);
    expect(doctorExitCode(report([r('ssh', 'fail')]))).to.equal(EXIT.UNREACHABLE);
    expect(doctorExitCode(report([r('ssh', 'fail'), r('tcpdump', 'fail')]))).to.equal(EXIT.FINDINGS);
    const text = renderDoctorTable(report([{ node: 'n', check: 'tcpdump', status: 'fail', detail: 'tcpdump not found', fix: 'install tcpdump' }]));
    expect(text).to.match(/│ n +│ tcpdump +│ FAIL +│ tcpdump not found +│/).and.match(/→ fix: install tcpdump/).and.match(/0 ok, 0 warn, 1 fail/);
  });

  it('the probe is read-only and pins the PATH the snapshot uses', () => {
    const s = buildDoctorProbeScript({ statePath: '/var/lib/neutron' });
    expect(s).to.match(/^export LC_ALL=C PATH=\/usr\/local\/sbin:\/usr\/local\/bin:\/usr\/sbin:\/usr\/bin:\/sbin:\/bin$/m);
    expect(s).to.not.match(/\b(rm|kill|mount|ip link set|ovs-vsctl (add|del|set))\b/);
  });
});

describe('doctor --node-deadline: a node answered late keeps what was learnt (issue 10)', () => {
  const node = { name: 'net1', address: '192.0.2.11', port: 22, user: 'ops', sudo: true, roles: ['network'] } as unknown as InventoryNode;
  const seen = { node, hostKeysUnchecked: false, statePath: '/var/lib/neutron' };
  const rowsOf = (step: 'connect' | 'sudo' | 'probe' | 'clock', extra = {}) => judgeDoctorNode(answerLate({ ...seen, ...extra }, step, 5000, 5012));

  it('in connect: the ssh row fails with the budget and the step', () => {
    const rows = rowsOf('connect');
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ check: 'ssh', status: 'fail' });
    expect(rows[0].detail).to.equal('timeout: node net1: per-node deadline of 5 s passed after 5.0 s: no SSH session yet (TCP connect, key exchange or authentication did not finish); the other nodes were checked (--node-deadline)');
  });

  it('in sudo: connected (ssh ok), sudo fails as a timeout, the tools skip (the probe did not run)', () => {
    const rows = rowsOf('sudo');
    expect(rows.find((r) => r.check === 'ssh')!.status).to.equal('ok');
    expect(rows.find((r) => r.check === 'sudo')).to.include({ status: 'fail' });
    expect(rows.find((r) => r.check === 'sudo')!.detail).to.include('`sudo -n true` had not answered');
    expect(rows.filter((r) => r.check === 'tcpdump').map((r) => r.status)).to.deep.equal(['skip']);
  });

  it('in the probe: every tool row skips with the deadline, none passes', () => {
    const rows = rowsOf('probe', { sudo: { exitCode: 0, stderr: '' } });
    const tools = rows.filter((r) => ['ip-json', 'iptables', 'ovs', 'tcpdump', 'arping', 'containers', 'keepalived'].includes(r.check));
    expect(tools).to.have.length(7);
    for (const r of tools) expect(r.status, r.check).to.equal('skip');
    expect(tools[0].detail).to.include('the probe script was still running');
  });
});
