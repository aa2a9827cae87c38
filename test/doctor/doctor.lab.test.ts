import { expect } from 'chai';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { useLab } from '../lab/lab-helpers';
import { ensureTestUser } from '../helpers/sshd';
import type { DoctorReport } from '../../src/doctor';
import { hideTool, installHabetsArping } from './doctor-faults';

const BIN = path.resolve(__dirname, '../../src/cli/bin.js');
/** where the runs' outputs are kept for docs/init-and-doctor.md (HAPROBE_DOCTOR_KEEP=dir) */
const KEEP = process.env.HAPROBE_DOCTOR_KEEP;

function doctor(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn('node', [BIN, 'doctor', ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const rowOf = (r: DoctorReport, node: string, check: string): DoctorReport['rows'][number] => r.rows.find((x) => x.node === node && x.check === check)!;

describe('doctor on the lab @lab (issue 13)', function () {
  this.timeout(240_000);
  const lab = useLab('neutron-l3ha');
  const FAULTED = 'net3';
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync('/var/tmp/haprobe-doctor-lab-');
    fs.chmodSync(dir, 0o755);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('healthy lab: every node all green (ok or not-applicable skip), exit 0', async () => {
    const inv = lab().up.inventory;
    const table = await doctor(['-i', inv]);
    const json = await doctor(['-i', inv, '--format', 'json']);
    if (KEEP) fs.writeFileSync(path.join(KEEP, 'doctor-healthy.txt'), table.stdout);
    expect(table.code, table.stderr).to.equal(0);
    expect(json.code, json.stderr).to.equal(0);
    const report = JSON.parse(json.stdout) as DoctorReport;
    expect(report.nodes.map((n) => n.name).sort()).to.deep.equal(['cmp1', 'net1', 'net2', 'net3', 'upstream']);
    const bad = report.rows.filter((r) => r.status === 'warn' || r.status === 'fail');
    expect(bad, JSON.stringify(bad, null, 1)).to.deep.equal([]);
    for (const n of ['net1', 'net2', 'net3']) {
      expect(rowOf(report, n, 'keepalived').detail).to.match(/keepalived 2\.\d+\.\d+; \/var\/lib\/neutron\/ha_confs on the host, [1-9]\d* router state file/);
      expect(rowOf(report, n, 'arping').detail).to.match(/^iputils arping/);
    }
    expect(rowOf(report, 'cmp1', 'ovs').detail).to.match(/ovsdb answers \(bridges .*br-int/);
    expect(table.stdout).to.match(/doctor: 5 node\(s\): \d+ ok, 0 warn, 0 fail/);
  });

  it('a node with broken sudo, no tcpdump and Habets\' arping: each named with its fix, exit 1', async () => {
    const s = lab();
    const holder = s.state().nodes[FAULTED].holderPid!;
    const user = ensureTestUser();
    // the lab's sshd takes the one authorized_keys file for every user: let the test user read it
    fs.chmodSync(s.stateDir, 0o755);
    fs.chmodSync(path.join(s.stateDir, 'authorized_keys'), 0o644);
    await hideTool(holder, dir, '/usr/bin/tcpdump');
    // without the Debian mirror the Habets part cannot be built: the rest is still asserted
    const habets = await installHabetsArping(holder, dir);
    if (!habets) console.warn('    (apt-get download arping libnet1 failed: Habets arping not checked)');
    const inv = parse(fs.readFileSync(s.up.inventory, 'utf8')) as { nodes: Array<Record<string, unknown>> };
    for (const n of inv.nodes) if (n.name === FAULTED) Object.assign(n, { user, sudo: true });
    const faulted = path.join(dir, 'inventory-faulted.yaml');
    fs.writeFileSync(faulted, stringify(inv));

    const table = await doctor(['-i', faulted]);
    const json = await doctor(['-i', faulted, '--format', 'json']);
    if (KEEP) fs.writeFileSync(path.join(KEEP, 'doctor-faulted.txt'), table.stdout);
    expect(table.code, table.stderr).to.equal(1);
    expect(json.code).to.equal(1);
    const report = JSON.parse(json.stdout) as DoctorReport;

    const sudo = rowOf(report, FAULTED, 'sudo');
    expect(sudo).to.include({ status: 'fail' });
    expect(sudo.detail).to.match(/sudo refused: a password is required/);
    expect(sudo.fix).to.match(/examples\/sudoers\.d\/haprobe .*haprobe-test/);

    const tcpdump = rowOf(report, FAULTED, 'tcpdump');
    expect(tcpdump).to.include({ status: 'fail' });
    expect(tcpdump.detail).to.match(/tcpdump not found/);
    expect(tcpdump.fix).to.match(/install tcpdump/);

    const arping = rowOf(report, FAULTED, 'arping');
    if (habets) {
      expect(arping).to.include({ status: 'fail' });
      expect(arping.detail).to.match(/Thomas Habets' arping 2\.\d+ on the host/);
      expect(arping.fix).to.match(/iputils-arping/);
      expect(table.stdout).to.match(/→ fix: install iputils arping/);
    }

    // the rest of the node is still judged (as the login user), and the other nodes stay green
    expect(rowOf(report, FAULTED, 'ssh').status).to.equal('ok');
    expect(rowOf(report, FAULTED, 'ip-json').status).to.equal('ok');
    expect(rowOf(report, FAULTED, 'clock').status).to.equal('ok');
    const others = report.rows.filter((r) => r.node !== FAULTED && (r.status === 'warn' || r.status === 'fail'));
    expect(others, JSON.stringify(others, null, 1)).to.deep.equal([]);
  });
});
