import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECKS, CHECK_IDS, findCheck } from '../../checks/index';
import { listProfiles, loadProfile } from '../../src/profile';
import type { CheckCases } from './fixtures/cases';

/**
 * Registry-wide conventions (STYLE.md principle 5): every check lives in checks/<id>.ts,
 * has a severity, a description, a reference, and a test file with valid and invalid
 * fixtures; every check a profile names exists; every profile loads.
 */
const repo = path.resolve(__dirname, '../../..');
const SEVERITIES = ['critical', 'major', 'minor', 'info'];

describe('check registry', () => {
  it('has unique ids', () => {
    expect(new Set(CHECK_IDS).size).to.equal(CHECKS.length);
  });

  for (const c of CHECKS)
    describe(c.id, () => {
      it('lives in checks/<id>.ts and exports it as `check`', () => {
        const file = path.join(repo, 'checks', `${c.id}.ts`);
        expect(fs.existsSync(file), file).to.equal(true);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require(path.join(repo, 'dist', 'checks', `${c.id}.js`)) as { check?: unknown };
        expect(mod.check).to.equal(c);
        expect(findCheck(c.id)).to.equal(c);
      });
      it('has a title, a description, a severity and a reference', () => {
        expect(c.id).to.match(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(c.title.length).to.be.greaterThan(10);
        expect(c.description.length).to.be.greaterThan(40);
        expect(SEVERITIES).to.include(c.severity);
        expect(c.references.length).to.be.greaterThan(0);
        expect(c.references.some((r) => r.kind === 'bug' || r.kind === 'seed')).to.equal(true);
      });
      it('has a test file with at least one valid and one invalid fixture', () => {
        const file = path.join(__dirname, `${c.id}.test.js`);
        expect(fs.existsSync(file), file).to.equal(true);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require(file) as { cases?: CheckCases };
        expect(mod.cases?.check).to.equal(c);
        expect(mod.cases!.valid.length).to.be.greaterThan(0);
        expect(mod.cases!.invalid.length).to.be.greaterThan(0);
      });
    });
});

describe('profiles', () => {
  const profiles = listProfiles();

  it('lists base and the four neutron profiles', () => {
    expect(profiles.map((p) => p.id)).to.include.members(['base', 'neutron-legacy', 'neutron-l3ha', 'neutron-dvr', 'neutron-dvr-snat-ha']);
  });

  for (const p of profiles)
    it(`${p.id} loads and names only known checks`, () => {
      const resolved = loadProfile(p.id);
      expect(resolved.id).to.equal(p.id);
      expect(resolved.checks.length).to.be.greaterThan(0);
      for (const c of resolved.checks) expect(CHECK_IDS, `${p.id}: ${c.id}`).to.include(c.id);
      if (!resolved.abstract) {
        expect(resolved.haMode, `${p.id} declares its HA mode`).to.be.a('string');
        expect(resolved.garp.failoverBudgetSeconds).to.be.a('number');
      }
    });
});
