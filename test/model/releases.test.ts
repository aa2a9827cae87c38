import { expect } from 'chai';
import {
  leadingRelease, MASTER_ALIAS, NEWEST_RELEASE, parseReleaseFamily, RELEASE_CODE_NAMES, RELEASES, releaseOrder, resolveReleaseName,
} from '../../src/model/releases';
import { releaseAtLeast, releaseIndex, natRandomFully } from '../../checks/lib/release';
import { parseRelease, patternForRelease, haPatternForRelease } from '../../src/capture/patterns';
import { releaseFromNovaMaxVersion } from '../../src/openstack/release-from-api';

// the one release list (issue 14): names, spellings, order, `master`, unknown names
describe('model/releases', () => {
  describe('order', () => {
    it('lists havana … 2026.2 oldest first, each once', () => {
      expect(RELEASES[0]).to.equal('havana');
      expect(RELEASES[RELEASES.length - 1]).to.equal('2026.2');
      expect(new Set(RELEASES).size).to.equal(RELEASES.length);
      expect(RELEASES.slice(0, 19)).to.deep.equal([
        'havana', 'icehouse', 'juno', 'kilo', 'liberty', 'mitaka', 'newton', 'ocata', 'pike', 'queens', 'rocky', 'stein',
        'train', 'ussuri', 'victoria', 'wallaby', 'xena', 'yoga', 'zed',
      ]);
      // the year releases follow zed in year order, two a year
      expect(RELEASES.slice(19)).to.deep.equal(['2023.1', '2023.2', '2024.1', '2024.2', '2025.1', '2025.2', '2026.1', '2026.2']);
    });

    it('releaseOrder is the position in RELEASES', () => {
      RELEASES.forEach((r, i) => expect(releaseOrder(r), r).to.equal(i));
      expect(releaseOrder('zed')).to.be.lessThan(releaseOrder('2023.1'));
    });
  });

  describe('spellings', () => {
    const codeNames: [string, string][] = [
      ['antelope', '2023.1'], ['bobcat', '2023.2'], ['caracal', '2024.1'], ['dalmatian', '2024.2'],
      ['epoxy', '2025.1'], ['flamingo', '2025.2'], ['gazpacho', '2026.1'], ['hibiscus', '2026.2'],
    ];

    it('every year release has exactly one code name, and every code name reads as its year', () => {
      expect(Object.entries(RELEASE_CODE_NAMES)).to.deep.equal(codeNames);
      for (const [code, year] of codeNames) {
        expect(resolveReleaseName(code), code).to.equal(year);
        expect(resolveReleaseName(year), year).to.equal(year);
      }
    });

    it('every release name reads as itself, in any case and with blanks around it', () => {
      for (const r of RELEASES) {
        expect(resolveReleaseName(r), r).to.equal(r);
        expect(resolveReleaseName(` ${r.toUpperCase()} `), r).to.equal(r);
      }
      expect(resolveReleaseName('Caracal')).to.equal('2024.1');
      expect(resolveReleaseName('ANTELOPE')).to.equal('2023.1');
    });

    it('`master` is the newest known release (2026.2), in any case', () => {
      expect(MASTER_ALIAS).to.equal('master');
      expect(NEWEST_RELEASE).to.equal('2026.2');
      expect(resolveReleaseName('master')).to.equal('2026.2');
      expect(resolveReleaseName('Master')).to.equal('2026.2');
      expect(parseReleaseFamily('master')).to.deep.equal({ release: '2026.2', index: RELEASES.length - 1, orLater: false });
    });
  });

  describe('families', () => {
    it('a name, optionally with "+"', () => {
      expect(parseReleaseFamily('ocata')).to.deep.equal({ release: 'ocata', index: 7, orLater: false });
      expect(parseReleaseFamily('pike+')).to.deep.equal({ release: 'pike', index: 8, orLater: true });
      expect(parseReleaseFamily('2023.1+')).to.deep.equal({ release: '2023.1', index: 19, orLater: true });
      expect(parseReleaseFamily('Antelope+')).to.deep.equal(parseReleaseFamily('2023.1+'));
      expect(parseReleaseFamily(' dalmatian ')).to.deep.equal(parseReleaseFamily('2024.2'));
    });

    it('unknown or absent stays unknown (undefined), never the newest', () => {
      for (const t of [undefined, '', ' ', '+', 'martian', 'grizzly', 'folsom', '2022.1', '2026.3', '2027.1', 'kilo-newton', 'pike++', 'latest', 'main', 'master-1']) {
        expect(parseReleaseFamily(t), String(t)).to.equal(undefined);
      }
      expect(resolveReleaseName(undefined)).to.equal(undefined);
      expect(resolveReleaseName('zed+')).to.equal(undefined);
    });

    it('leadingRelease reads the first name of a longer text; unknown first names stay unknown', () => {
      const cases: [string | undefined, string | undefined][] = [
        ['kilo-newton', 'kilo'], ['2023.1 antelope', '2023.1'], ['juno–kilo', 'juno'], ['kilo/liberty', 'kilo'],
        ['Caracal+', '2024.1'], ['master', '2026.2'], ['martian pike', undefined], [undefined, undefined], ['', undefined],
      ];
      for (const [text, release] of cases) expect(leadingRelease(text), String(text)).to.equal(release);
    });
  });

  describe('read the same way by checks, captures and the API reading', () => {
    const spellings = [...RELEASES, ...Object.keys(RELEASE_CODE_NAMES), 'master'];

    it('checks and capture patterns place every spelling at the same index', () => {
      for (const s of spellings) {
        const i = releaseOrder(resolveReleaseName(s)!);
        expect(releaseIndex(s), s).to.equal(i);
        expect(parseRelease(s), s).to.deep.equal({ from: i, to: i });
        expect(parseRelease(`${s}+`), s).to.deep.equal({ from: i, to: Number.POSITIVE_INFINITY });
      }
    });

    it('an unknown release is unknown to both (checks: undefined; captures: any-release patterns)', () => {
      expect(releaseIndex('martian')).to.equal(undefined);
      expect(releaseAtLeast('martian', 'pike')).to.equal(undefined);
      expect(natRandomFully('martian')).to.equal(undefined);
      expect(parseRelease('martian')).to.equal(undefined);
      expect(patternForRelease('martian')).to.equal('neutron-any-release');
      expect(haPatternForRelease('martian')).to.equal('keepalived-any-release');
    });

    it('master and the newest releases are the newest era everywhere', () => {
      expect(releaseAtLeast('master', '2026.2')).to.equal(true);
      expect(releaseAtLeast('2026.2', '2026.1')).to.equal(true);
      expect(patternForRelease('master')).to.equal('neutron-pike+');
      expect(haPatternForRelease('hibiscus')).to.equal('keepalived');
    });

    it('pre-Juno releases are known to the checks too (no --random-fully before Rocky)', () => {
      expect(releaseIndex('havana')).to.equal(0);
      expect(natRandomFully('havana')).to.equal(false);
      expect(natRandomFully('icehouse')).to.equal(false);
    });

    it('every release nova\'s maximum microversion names is a known family', () => {
      for (let minor = 0; minor <= 120; minor++) {
        const family = releaseFromNovaMaxVersion(`2.${minor}`);
        if (family !== undefined) expect(parseReleaseFamily(family), `2.${minor} → ${family}`).to.not.equal(undefined);
      }
      expect(releaseFromNovaMaxVersion('2.103')).to.equal('2026.1');
      expect(releaseFromNovaMaxVersion('2.110')).to.equal('2026.1+');
    });
  });
});
