import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SOS_FIXTURES, analyzeNodes, factsOf, fixtureStates, loadAll, sosDirsOf } from './sos-fixtures';
import { subjectKey } from '../../src/engine/evaluate';
import { failingKeys } from './failing-keys';

describe('analyze: real sosreports from the lab (test/fixtures/sos)', () => {
  it('has the healthy state and at least three faults', () => {
    const states = fixtureStates();
    expect(states).to.include('l3ha-healthy');
    expect(states.filter((s) => s.startsWith('l3ha-') && s !== 'l3ha-healthy').length).to.be.at.least(3);
  });

  for (const state of fixtureStates().filter((s) => s.startsWith('l3ha-'))) {
    it(`${state}: the failing findings of the live run, evidence from the sosreport files`, async () => {
      const nodes = await loadAll(sosDirsOf(state));
      expect(nodes.map((n) => n.name)).to.deep.equal(['cmp1', 'net1', 'net2', 'net3', 'upstream']);
      const result = analyzeNodes(nodes, factsOf(state));
      const lines = (file: string): string[] => fs.readFileSync(path.join(SOS_FIXTURES, state, file), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#')).sort();
      const live = lines('expected-failures.txt');
      const offline = failingKeys(result);
      // the run's failures, except where sos 4.0 collects less: there a warn/skip on the same subject, never a pass
      expect(offline.filter((k) => !live.includes(k)), 'failures the live run did not have').to.deep.equal([]);
      const notJudged = new Set(result.findings.filter((f) => f.verdict === 'warn' || f.verdict === 'skip').map((f) => `${f.checkId} ${subjectKey(f.subject)}`));
      expect(live.filter((k) => !offline.includes(k) && !notJudged.has(k.replace(/ (fail|error)$/, ''))), 'run failures analyze passed').to.deep.equal([]);
      if (fs.existsSync(path.join(SOS_FIXTURES, state, 'analyze-failures.txt'))) expect(offline).to.deep.equal(lines('analyze-failures.txt'));
      expect(result.verdict).to.equal(live.length === 0 ? 'pass' : 'fail');
      // roles come from the facts: the upstream is the gateway, cmp1 hosts the instance
      expect(result.nodes.map((n) => `${n.name}:${n.roles.join(',')}`)).to.deep.equal(['cmp1:compute', 'net1:network', 'net2:network', 'net3:network', 'upstream:gateway']);
      for (const f of result.findings.filter((x) => x.verdict === 'fail')) {
        expect(f.evidence.length, `${f.checkId} cites evidence`).to.be.greaterThan(0);
        for (const id of f.evidence) expect(result.evidence.find((e) => e.id === id)?.command).to.match(/^file:sosreport-[a-z0-9]+-[-a-z0-9]+:(sos_commands|var\/lib\/neutron)\//);
      }
      // sos 4.0 reads no per-namespace ip rule / sysctl: said, and never a pass there
      expect((result.warnings ?? []).filter((w) => w.section === '(missing)').map((w) => w.message)).to.include('qrouter-b7b1f8e9-2245-40a1-8575-d7dfa585cfa0: no ip rule');
    });
  }

  it('a sosreport without the openvswitch and openstack_neutron outputs says what is missing, and those checks skip', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hp-sos-'));
    try {
      const src = sosDirsOf('l3ha-healthy').find((d) => path.basename(d).startsWith('sosreport-net1-')) as string;
      const dst = path.join(tmp, path.basename(src));
      fs.cpSync(src, dst, { recursive: true });
      fs.rmSync(path.join(dst, 'sos_commands/openvswitch'), { recursive: true });
      fs.rmSync(path.join(dst, 'var'), { recursive: true });
      const nodes = await loadAll([dst]);
      const result = analyzeNodes(nodes, factsOf('l3ha-healthy'));
      const missing = (result.warnings ?? []).filter((w) => w.section === '(missing)').map((w) => w.message);
      expect(missing.some((m) => m.startsWith('sos plugin openvswitch left no output'))).to.equal(true);
      expect(missing.some((m) => m.startsWith('sos plugin openstack_neutron left no output'))).to.equal(true);
      expect(missing).to.include('qrouter-b7b1f8e9-2245-40a1-8575-d7dfa585cfa0 has an ha- port but no ha_confs/b7b1f8e9-2245-40a1-8575-d7dfa585cfa0/keepalived.conf');
      // nothing OVS-based passes on net1: what was not read is skipped, never judged
      const ovsRows = result.rows.filter((r) => ['ovs-ports', 'ovs-dead-vlan', 'ovs-antispoof'].includes(r.checkId));
      expect(ovsRows.every((r) => r.verdict === 'skip'), JSON.stringify(ovsRows)).to.equal(true);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
