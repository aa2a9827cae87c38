import { expect } from 'chai';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildSnapshotScript } from '../../src/collect/script';
import { expandSections, splitSections } from '../../src/collect/sections';
import { buildNodeSnapshot } from '../../src/collect/snapshot';

/**
 * The batched script run for real with sh on this machine (no mock): its sections frame,
 * its keepalived part reads ha_confs under a state path with a space in it, and the snapshot
 * builder turns the output into a NodeSnapshot with evidence for each section.
 */
describe('collect: the batched snapshot script, run here with sh', function () {
  this.timeout(30_000);
  let dir: string;
  let out: string;
  // the collector counts keepalived alive only when the pid file's process is this router's keepalived
  // (cmdline: `-f …/r-1/keepalived.conf`) that is not stopped or a zombie (issue 12): a real process here,
  // started through a link named keepalived (its comm, which the /proc scan looks for) with neutron's arguments
  let keepalived: ChildProcess;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'haprobe state '));
    const router = path.join(dir, 'ha_confs', 'r-1');
    mkdirSync(router, { recursive: true });
    symlinkSync(process.execPath, path.join(dir, 'keepalived'));
    keepalived = spawn(path.join(dir, 'keepalived'), ['-e', 'setTimeout(() => undefined, 60000)', '--', '-P', '-f', path.join(router, 'keepalived.conf'), '-p', path.join(dir, 'ha_confs', 'r-1.pid.keepalived')], { stdio: 'ignore' });
    writeFileSync(path.join(router, 'keepalived.conf'), 'vrrp_instance VR_1 {\n    state BACKUP\n    interface ha-1\n    virtual_router_id 1\n}\n');
    writeFileSync(path.join(router, 'state'), 'backup\n');
    writeFileSync(path.join(dir, 'ha_confs', 'r-1.pid.keepalived'), `${keepalived.pid}\n`);
    out = execFileSync('sh', ['-s'], { input: buildSnapshotScript({ statePath: dir }), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  });
  after(() => {
    keepalived.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('frames every section with its exit status and nothing outside them', () => {
    const { sections, warnings } = splitSections(out);
    expect(warnings).to.deep.equal([]);
    const keys = sections.map((s) => s.key);
    expect(keys).to.include.members(['versions', 'addr:', 'route:', 'rule:', 'neigh:', 'sysctl:', 'netns', 'keepalived-conf:r-1', 'keepalived-state:r-1', 'keepalived-pid:r-1']);
    expect(sections.find((s) => s.key === 'addr:')!.exitCode).to.equal(0);
  });

  it('reads keepalived config, state and a live pid under a path with a space', () => {
    const { sections } = splitSections(out);
    const { snapshot, warnings } = buildNodeSnapshot('here', ['network'], sections);
    expect(warnings.filter((w) => w.section.startsWith('keepalived'))).to.deep.equal([]);
    expect(snapshot.haRouters).to.have.length(1);
    expect(snapshot.haRouters[0]).to.include({ routerId: 'r-1', state: 'backup', keepalivedRunning: true });
    // the /proc scan found the same process by its comm and matched it to the router by its -f argument
    const found = snapshot.haRouters[0].keepalivedProcesses?.find((p) => p.pid === keepalived.pid);
    expect(found).to.include({ ppid: process.pid });
    expect(found!.state).to.match(/^[RSD]$/);
    expect(snapshot.haRouters[0].config?.instances[0]?.virtualRouterId).to.equal(1);
    expect(snapshot.evidence['keepalived:r-1']).to.equal('here/keepalived-conf:r-1');
    expect(snapshot.root?.devices.some((d) => d.name === 'lo')).to.equal(true);
    expect(snapshot.versions.iproute2).to.match(/iproute2/);
  });

  it('a gateway node (root namespace only) gets no OVS evidence id', () => {
    const gw = execFileSync('sh', ['-s'], { input: buildSnapshotScript({ rootOnly: true }), encoding: 'utf8' });
    const { snapshot } = buildNodeSnapshot('gw', ['gateway'], splitSections(gw).sections);
    expect(snapshot.evidence['ovs-vsctl']).to.equal(undefined);
    expect(snapshot.namespaces).to.deep.equal([]);
  });

  it('without ip -j (old iproute2) the text fallback gives the same devices, addresses, routes and rules', () => {
    const text = execFileSync('sh', ['-s'], { input: buildSnapshotScript({ rootOnly: true, textOnly: true }), encoding: 'utf8' });
    const json = execFileSync('sh', ['-s'], { input: buildSnapshotScript({ rootOnly: true }), encoding: 'utf8' });
    expect(splitSections(text).sections.find((s) => s.key === 'addr:')!.output).to.not.match(/^\s*\[/);
    const a = buildNodeSnapshot('t', ['gateway'], splitSections(text).sections);
    const b = buildNodeSnapshot('j', ['gateway'], splitSections(json).sections);
    expect(a.warnings, 'text output understood').to.deep.equal([]);
    const addrs = (n: typeof a) => n.snapshot.root!.devices.map((d) => `${d.name} ${d.mac ?? ''} ${d.addresses.map((x) => `${x.address}/${x.prefixLen}`).join(',')}`).sort();
    expect(addrs(a)).to.deep.equal(addrs(b));
    const rules = (n: typeof a) => n.snapshot.root!.rules.map((r) => `${r.priority} ${r.table}`).sort();
    expect(rules(a)).to.deep.equal(rules(b));
    const routes = (n: typeof a) => n.snapshot.root!.routes.map((r) => `${r.dst} ${r.dev ?? ''}`).sort();
    expect(routes(a)).to.deep.equal(routes(b));
  });

  it('a namespace that vanished between listing and reading is marked, not fatal (real ip error text)', () => {
    const gone = 'qrouter-haprobe-vanished-test';
    const r = spawnSync('ip', ['netns', 'exec', gone, 'ip', '-j', '-d', 'addr', 'show'], { encoding: 'utf8' });
    expect(r.status).to.not.equal(0);
    const sections = [
      { key: 'netns', output: `${gone}\n`, exitCode: 0 },
      { key: `addr:${gone}`, output: r.stdout + r.stderr, exitCode: r.status },
      { key: `route:${gone}`, output: r.stderr, exitCode: r.status },
    ];
    const { snapshot } = buildNodeSnapshot('n', ['network'], sections);
    expect(snapshot.namespaces).to.have.length(1);
    expect(snapshot.namespaces[0]).to.include({ name: gone, vanished: true });
    expect(snapshot.namespaces[0].devices).to.deep.equal([]);
  });
});

describe('collect: expandSections splits the one-call OVSDB read of script v2 (issue 10)', () => {
  // shape of `ovs-vsctl --format=json … -- list Bridge -- list Port -- list Interface` (lab net1, trimmed)
  const out = [
    '{"data":[[["uuid","05324a96-5162-4e2f-baa6-15d9bc9762d0"],"br-ex","",["set",[]],["set",[]]]],"headings":["_uuid","name","datapath_type","fail_mode","ports"]}',
    '{"data":[],"headings":["_uuid","name","tag","trunks","interfaces"]}',
    '{"data":[],"headings":["_uuid","name","type","ofport","mac_in_use","external_ids","options","error"]}',
    '',
  ].join('\n');

  it('gives ovsdb-bridge, ovsdb-port and ovsdb-interface, each one JSON document', () => {
    const { sections, warnings } = expandSections([{ key: 'ovsdb', output: out, exitCode: 0 }, { key: 'netns', output: '', exitCode: 0 }]);
    expect(warnings).to.deep.equal([]);
    expect(sections.map((s) => s.key)).to.deep.equal(['ovsdb-bridge', 'ovsdb-port', 'ovsdb-interface', 'netns']);
    expect(JSON.parse(sections[0].output).headings[1]).to.equal('name');
  });

  it('keeps a failed or odd ovsdb section as it is (a warning for the odd one)', () => {
    expect(expandSections([{ key: 'ovsdb', output: 'ovs-vsctl: unix:/run/openvswitch/db.sock: database connection failed\n', exitCode: 1 }]).sections.map((s) => s.key)).to.deep.equal(['ovsdb']);
    const odd = expandSections([{ key: 'ovsdb', output: out.split('\n').slice(0, 2).join('\n'), exitCode: 0 }]);
    expect(odd.sections.map((s) => s.key)).to.deep.equal(['ovsdb']);
    expect(odd.warnings[0].message).to.match(/expected 3 JSON tables, got 2/);
  });
});
