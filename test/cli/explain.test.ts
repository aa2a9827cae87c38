import { expect } from 'chai';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { CHECKS, CHECK_IDS, findCheck } from '../../checks';
import { EXPLANATIONS } from '../../checks/lib/explanations';
import { assembleExplainView, referenceUrl, renderExplanation, type CheckExplainView } from '../../src/cli/commands/explain';
import { NODE_REACHABLE_CHECK } from '../../src/engine/evaluate';
import { publicLinksOfAll } from '../../src/report/public-references';

const BIN = path.resolve(__dirname, '../../src/cli/bin.js');
const haprobe = (args: string[]): SpawnSyncReturns<string> =>
  spawnSync(process.execPath, [BIN, ...args], { cwd: os.tmpdir(), encoding: 'utf8', timeout: 30_000 });

const ALL = [NODE_REACHABLE_CHECK, ...CHECKS];

describe('cli: haprobe explain CHECK (issue 13)', () => {
  describe('explanation data', () => {
    it('has one entry per check `haprobe checks` lists, and none for unknown ids', () => {
      expect(Object.keys(EXPLANATIONS).sort()).to.deep.equal(ALL.map((c) => c.id).sort());
    });

    for (const c of ALL)
      it(`${c.id}: says what it reads and, for each finding, what it means and the fix`, () => {
        const e = EXPLANATIONS[c.id]!;
        expect(e.reads.length).to.be.greaterThan(0);
        expect(e.findings.some((f) => f.verdict === 'fail'), 'at least one fail explained').to.equal(true);
        for (const f of e.findings) {
          expect(f.finding.trim(), 'finding').to.not.equal('');
          expect(f.means.trim(), `${f.finding}: means`).to.not.equal('');
          expect(f.fix.trim(), `${f.finding}: fix`).to.not.equal('');
        }
      });
  });

  describe('rendering (pure)', () => {
    it('links Launchpad bugs, URLs as written, design-note sections to their public source', () => {
      expect(referenceUrl({ kind: 'bug', ref: 'lp#1823314' })).to.equal('https://bugs.launchpad.net/bugs/1823314');
      expect(referenceUrl({ kind: 'doc', ref: 'https://docs.openstack.org/neutron/latest/' })).to.equal('https://docs.openstack.org/neutron/latest/');
      expect(referenceUrl({ kind: 'doc', ref: 'ground-truth §2a' })).to.match(/^https:\/\/opendev\.org\/openstack\/neutron\/src\/tag\/[\d.]+\/neutron\/agent\/l3\/ha_router\.py$/);
      expect(referenceUrl({ kind: 'doc', ref: 'known-bugs-and-anchors §12.5' }), 'a design list without public counterpart').to.equal(undefined);
    });

    for (const c of ALL)
      it(`${c.id}: the page names the check, every reference and every finding, body within 100 columns`, () => {
        const view: CheckExplainView = assembleExplainView(c, EXPLANATIONS[c.id], ['neutron-l3ha']);
        const page = renderExplanation(view);
        expect(page.split('\n')[0]).to.equal(`${c.id} — ${c.title}`);
        expect(page).to.include(`severity: ${c.severity}`).and.include('What it reads').and.include('fix:');
        // every public source behind the references, and none of the design notes that ship with no release
        for (const l of publicLinksOfAll(c.references.map((r) => `${r.kind}:${r.ref}`))) expect(page, l.label).to.include(l.url);
        // Launchpad bugs by number; other trackers (rhbz#, OVN FDP-…) are covered by their public links above (issue 11)
        for (const r of c.references.filter((x) => x.kind === 'bug' && /^lp#/.test(x.ref))) expect(page, r.ref).to.include(`https://bugs.launchpad.net/bugs/${r.ref.slice(3)}`);
        expect(page).to.not.match(/ground-truth|known-bugs-and-anchors|seed|\d{3}_[0-9a-f]{16}\.txt|DESIGN\.md/);
        expect(page.match(/^ {2}(fail|warn|skip|note) {2}/gm)?.length).to.equal(EXPLANATIONS[c.id]!.findings.length);
        // the title line is as long as the title; everything else wraps
        for (const line of page.split('\n').slice(1)) if (line.length > 100) expect(line.trim(), `overlong line: ${line}`).to.not.include(' ', 'only one unbreakable word may exceed the width');
      });
  });

  describe('the command', () => {
    it('prints the page of a check and exits 0', () => {
      const r = haprobe(['explain', 'l3ha-vrid-unique']);
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/^l3ha-vrid-unique — /);
      expect(r.stdout).to.include('run by: ').and.include('neutron-l3ha');
      expect(r.stdout).to.include('What it reads').and.include('keepalived:<router>');
      expect(r.stdout).to.include('What its findings mean, and the fix').and.include('means:').and.include('fix:');
      expect(r.stdout).to.include('LP 1823314').and.include('https://bugs.launchpad.net/bugs/1823314');
      expect(r.stdout).to.include('https://opendev.org/openstack/neutron/src/tag/').and.not.include('ground-truth');
      expect(r.stderr).to.equal('');
    });

    it('--format json gives the same content as data', () => {
      const r = haprobe(['explain', 'upstream-neighbour', '--format', 'json']);
      expect(r.status, r.stderr).to.equal(0);
      const v = JSON.parse(r.stdout) as CheckExplainView;
      const c = findCheck('upstream-neighbour')!;
      expect(v).to.include({ id: c.id, title: c.title, severity: c.severity });
      expect(v.findings).to.deep.equal(EXPLANATIONS[c.id]!.findings);
      expect(v.references.find((x) => x.label === 'LP 1690165')?.url).to.equal('https://bugs.launchpad.net/bugs/1690165');
    });

    it('explains node-reachable, which the engine adds to every run', () => {
      const r = haprobe(['explain', 'node-reachable']);
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.include('sudo');
    });

    it('an unknown check is exit 2 with the list of known ids, on one line', () => {
      const r = haprobe(['explain', 'no-such-check']);
      expect(r.status).to.equal(2);
      expect(r.stdout).to.equal('');
      expect(r.stderr).to.include('unknown check "no-such-check"');
      for (const id of ['node-reachable', ...CHECK_IDS]) expect(r.stderr).to.include(id);
      expect(r.stderr.trim().split('\n')).to.have.length(1);
    });

    it('a missing check id is a usage error (exit 2)', () => {
      const r = haprobe(['explain']);
      expect(r.status).to.equal(2);
      expect(r.stderr).to.include("missing required argument 'check'");
    });
  });
});
