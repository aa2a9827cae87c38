import { expect } from 'chai';
import { findCheck } from '../../checks';
import { FAULTS, faultLabel, findFault, listFaults } from '../../src/lab/faults';
import { listNovaFaults, NOVA_FAULTS } from '../../src/lab/nova/faults';
import { renderFaultTable } from '../../src/lab/faults-table';
import { CAPTURE_VERDICTS } from '../../src/capture/backup-emissions';

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
      // new faults are named after the bug; older ones keep their name and answer to the bug's as an alias
      expect([f.name, ...(f.aliases ?? [])]).to.include(f.bug!.refs[0]!.replace('#', ''));
      // a fault seen on the wire names a capture verdict (§7 row 13: `garp watch`) instead of a run check
      const capture = CAPTURE_VERDICTS.find((v) => v.id === f.check);
      const check = findCheck(f.check);
      expect(check ?? capture, `check ${f.check}`).to.not.equal(undefined);
      const refs = capture ? [...capture.references] : check!.references.filter((r) => r.kind === 'bug').map((r) => r.ref);
      expect(refs).to.include.members(f.bug!.refs);
      expect(faultLabel(f)).to.equal(`${f.name} (§7 #${f.bug!.row}, ${f.bug!.refs.join(', ')})`);
    });
  }

  it('aliases resolve to their fault and no name is used twice', () => {
    const names = FAULTS.flatMap((f) => [f.name, ...(f.aliases ?? [])]);
    expect(new Set(names).size, 'names and aliases are unique').to.equal(names.length);
    for (const f of FAULTS) for (const a of f.aliases ?? []) expect(findFault(a).name).to.equal(f.name);
  });

  it('`lab faults` lists every fault with its §7 row, bug and check', () => {
    const rows = listFaults();
    expect(rows.map((r) => r.name).sort()).to.deep.equal(FAULTS.map((f) => f.name).sort());
    const text = renderFaultTable(rows);
    for (const f of FAULTS) {
      const line = text.split('\n').find((l) => l.includes(` ${f.name} `) || l.includes(` ${f.name}  `));
      expect(line, f.name).to.be.a('string');
      expect(line).to.include(f.check);
      if (f.bug) expect(line).to.include(`#${f.bug.row}`).and.include(f.bug.refs[0]!);
    }
  });

  it('`lab faults` lists the nova lab\'s faults too: send_arp_for_ha off is §7 row 31 (LP 782364); a nova fault on another lab is a usage error', () => {
    const rows = listNovaFaults();
    expect(rows.map((r) => r.name)).to.deep.equal(NOVA_FAULTS.map((f) => f.name));
    const text = renderFaultTable([...listFaults(), ...rows]);
    expect(text.split('\n').find((l) => l.includes(' nova-send-arp-off '))).to.include('#31').and.include('lp#782364').and.include('nova-send-arp-for-ha');
    expect(text).to.not.match(/^ {2}#31:/m);
    expect(() => findFault('nova-send-arp-off')).to.throw(/belongs to the nova lab/);
  });
});
