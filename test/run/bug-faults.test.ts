import { expect } from 'chai';
import { findCheck } from '../../checks';
import { FAULTS, faultLabel } from '../../src/lab/faults';

/**
 * The registry conventions of faults named after real bugs (issue 12), without a lab: the name
 * is `lp<number>` of its first reference, the check it must trip exists and carries every one of
 * its bug references (so the run file names the upstream report), and listings show the §7 row.
 */
describe('lab faults named after real bugs: registry', () => {
  const bugFaults = FAULTS.filter((f) => f.bug !== undefined);

  it('there are bug faults, and the old fault names are still there', () => {
    expect(bugFaults.map((f) => f.name)).to.include.members(['lp1520517', 'lp1823314', 'lp1818614', 'lp1874211']);
    expect(FAULTS.map((f) => f.name)).to.include.members(['split-brain', 'missing-garp', 'node-unreachable']);
  });

  for (const f of bugFaults) {
    it(`${f.name}: named after its bug, its check carries the references`, () => {
      expect(f.name).to.equal(f.bug!.refs[0]!.replace('#', ''));
      const check = findCheck(f.check);
      expect(check, `check ${f.check}`).to.not.equal(undefined);
      const refs = check!.references.filter((r) => r.kind === 'bug').map((r) => r.ref);
      expect(refs).to.include.members(f.bug!.refs);
      expect(faultLabel(f)).to.equal(`${f.name} (§7 #${f.bug!.row}, ${f.bug!.refs.join(', ')})`);
    });
  }
});
