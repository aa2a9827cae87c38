import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { haprobeErrorOf } from '../helpers/haprobe-error';
import { listProfiles, loadProfile } from '../../src/profile';
import { profileResolver } from '../../src/profile/profile-file';

describe('profile loader', () => {
  let tmp: string;
  const write = (name: string, text: string): string => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, text);
    return file;
  };
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'haprobe-profile-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  describe('shipped profiles', () => {
    it('resolves neutron-l3ha: extends base, per-check params merged with profile params', () => {
      const p = loadProfile('neutron-l3ha');
      expect(p.extendsChain).to.deep.equal(['base', 'neutron-l3ha']);
      expect(p.haMode).to.equal('ha');
      expect(p.abstract).to.equal(false);
      expect(p.sources.map((s) => path.basename(s))).to.deep.equal(['base.yaml', 'neutron-l3ha.yaml']);
      const kc = p.checks.find((c) => c.id === 'keepalived-config')!;
      expect(kc.params).to.include({ priority: 50, advertInt: 2, garpMasterDelay: 60, haMode: 'ha', metadataPort: 9697 });
      // no shipped release default: unknown until the facts or an override say it (issue 15)
      expect(kc.params).not.to.have.property('release');
      expect(p.release).to.equal(undefined);
      expect((kc.params['roles'] as Record<string, unknown>)['compute']).to.deep.equal({ forbid: ['snat-', 'fip-'] });
      expect(p.checks.map((c) => c.id)).to.include.members(['namespace-placement', 'nat-rules', 'l3ha-single-primary', 'upstream-neighbour']);
      expect(p.garp.events['failover']!.pattern).to.equal('keepalived');
      expect(p.garp.failoverBudgetSeconds).to.equal(10);
    });

    it('neutron-dvr-snat-ha extends neutron-dvr and keeps its G-ARP events', () => {
      const p = loadProfile('neutron-dvr-snat-ha');
      expect(p.extendsChain).to.deep.equal(['base', 'neutron-dvr', 'neutron-dvr-snat-ha']);
      expect(p.garp.events['fip-associate']!.device).to.equal('fg-');
      expect(p.garp.events['snat-failover']!.pattern).to.equal('keepalived');
      expect(p.checks.map((c) => c.id)).to.include.members(['dvr-snat-placement', 'dvr-fip-namespace', 'l3ha-single-primary']);
    });

    it('lists profiles sorted by id, base flagged abstract', () => {
      const list = listProfiles();
      expect(list.map((p) => p.id)).to.deep.equal([...list.map((p) => p.id)].sort());
      expect(list.find((p) => p.id === 'base')!.abstract).to.equal(true);
    });

    it('merges a site override file: params, disabled checks, G-ARP budget', () => {
      const over = write('site.yaml', [
        'params:', '  release: queens',
        'garp:', '  failoverBudgetSeconds: 20',
        'checks:', '  - id: keepalived-config', '    params: { advertInt: 4 }', '  - id: upstream-neighbour', '    enabled: false',
      ].join('\n'));
      const p = loadProfile('neutron-l3ha', { overrides: over });
      const kc = p.checks.find((c) => c.id === 'keepalived-config')!;
      expect(kc.params).to.include({ advertInt: 4, priority: 50 });
      expect(p.checks.find((c) => c.id === 'upstream-neighbour')).to.equal(undefined);
      expect(p.garp.failoverBudgetSeconds).to.equal(20);
      expect(p.sources.at(-1)).to.equal(over);
    });

    it('loads a profile by path that extends a shipped profile by id', () => {
      const file = write('mine.yaml', 'id: my-cloud\ntitle: My cloud\nextends: neutron-legacy\nchecks:\n  - id: nat-rules\n    params: { metadataPort: 8775 }\n');
      const p = loadProfile(file);
      expect(p.id).to.equal('my-cloud');
      expect(p.extendsChain).to.deep.equal(['base', 'neutron-legacy', 'my-cloud']);
      expect(p.haMode).to.equal('legacy');
      expect(p.checks.find((c) => c.id === 'nat-rules')!.params['metadataPort']).to.equal(8775);
    });
  });

  describe('errors', () => {
    it('unknown profile id lists the known ones', () => {
      const e = haprobeErrorOf(() => loadProfile('neutron-nope'));
      expect(e.code).to.equal('profile');
      expect(e.message).to.contain('neutron-nope');
      expect(e.hint).to.contain('neutron-l3ha');
    });

    it('unknown check id names the file and the index', () => {
      write('a.yaml', 'id: a\ntitle: A\nchecks:\n  - id: nat-rules\n  - id: no-such-check\n');
      const e = haprobeErrorOf(() => loadProfile('a', { dir: tmp }));
      expect(e.where).to.equal(`${path.join(tmp, 'a.yaml')}: checks[1].id`);
      expect(e.message).to.contain('no-such-check');
      expect(e.hint).to.contain('namespace-placement');
    });

    it('malformed YAML gives line:col', () => {
      write('b.yaml', 'id: b\ntitle: B\nchecks:\n  - id: nat-rules\n params: {}\n');
      const e = haprobeErrorOf(() => loadProfile(path.join(tmp, 'b.yaml')));
      expect(e.where).to.match(/b\.yaml:5:\d+$/);
      expect(e.message).to.match(/^malformed YAML/);
    });

    it('cycles in extends are refused', () => {
      write('x.yaml', 'id: x\ntitle: X\nextends: y\n');
      write('y.yaml', 'id: y\ntitle: Y\nextends: x\n');
      const e = haprobeErrorOf(() => loadProfile('x', { dir: tmp }));
      expect(e.message).to.equal('extends cycle: x → y → x');
    });

    it('extends of an unknown profile names the file', () => {
      write('c.yaml', 'id: c\ntitle: C\nextends: nowhere\n');
      const e = haprobeErrorOf(() => loadProfile('c', { dir: tmp }));
      expect(e.where).to.equal(`${path.join(tmp, 'c.yaml')}: extends`);
      expect(e.hint).to.contain('known profiles: c');
    });

    it('ids come from the files\' id: fields, not their names; an id defined twice is refused', () => {
      write('e.yaml', 'id: f\ntitle: F (file e.yaml)\n');
      write('f.yaml', 'id: g\ntitle: G (file f.yaml)\n');
      expect(loadProfile('f', { dir: tmp }).title).to.equal('F (file e.yaml)');
      expect(loadProfile('g', { dir: tmp }).title).to.equal('G (file f.yaml)');
      write('h.yaml', 'id: h\ntitle: H\nabstract: true\n');
      const e = haprobeErrorOf(() => loadProfile('e', { dir: tmp }));
      expect(e.message).to.equal('unknown profile "e"');
      expect(e.hint).to.equal('known profiles: f, g');
      write('k.yaml', 'id: k\ntitle: K\n');
      write('site-k.yaml', 'id: k\ntitle: K, a site copy\n');
      expect(haprobeErrorOf(() => loadProfile('k', { dir: tmp })).message).to.equal('profile id "k" is defined twice');
    });

    it('run\'s check before it connects (byFileName): <id>.yaml when its id: agrees, else the folder', () => {
      write('e.yaml', 'id: f\ntitle: F\n');
      write('f.yaml', 'id: g\ntitle: G\n');
      write('k.yaml', 'id: k\ntitle: K\n');
      const quick = profileResolver(tmp, { byFileName: true });
      expect(quick('k')).to.equal(path.join(tmp, 'k.yaml'));
      expect(quick('f')).to.equal(path.join(tmp, 'e.yaml'));
      expect(haprobeErrorOf(() => quick('nope')).message).to.equal('unknown profile "nope"');
    });

    it('bad field types name the field', () => {
      write('d.yaml', 'id: d\ntitle: D\nhaMode: active-active\n');
      expect(haprobeErrorOf(() => loadProfile('d', { dir: tmp })).where).to.match(/d\.yaml: haMode$/);
      write('d.yaml', 'id: d\ntitle: D\ncolour: blue\n');
      expect(haprobeErrorOf(() => loadProfile('d', { dir: tmp })).message).to.contain('unknown field "colour"');
      write('d.yaml', 'id: d\ntitle: D\ngarp:\n  failoverBudgetSeconds: -1\n');
      expect(haprobeErrorOf(() => loadProfile('d', { dir: tmp })).where).to.match(/garp\.failoverBudgetSeconds$/);
    });

    it('an override for another profile is refused', () => {
      const over = write('o.yaml', 'id: neutron-dvr\n');
      const e = haprobeErrorOf(() => loadProfile('neutron-legacy', { overrides: over }));
      expect(e.where).to.equal(`${over}: id`);
    });

    it('a missing override file is a profile error with its path', () => {
      const e = haprobeErrorOf(() => loadProfile('neutron-legacy', { overrides: path.join(tmp, 'missing.yaml') }));
      expect(e.where).to.equal(path.join(tmp, 'missing.yaml'));
    });
  });
});
