import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findCheck } from '../../checks';
import { NODE_REACHABLE_CHECK } from '../../src/engine/evaluate';
import { FAULT_DOC_PAGES, renderFaultDocBlock, replaceDocBlock } from '../../src/lab/fault-docs';
import { listEveryFault } from '../../src/lab/faults-table';
import { NEUTRON_FAULTS } from '../../src/lab/neutron/faults';
import { OVN_FAULTS } from '../../src/lab/neutron/ovn-faults';
import { subjectKeysNamed } from './run-helpers';

/**
 * Issue 12, "Done when": the README's row → fault → check → how table and docs/faults.md are the
 * fault registry (`haprobe lab faults`), and every fault of the registry is seen failing on a live
 * lab by a suite that asserts its check, its subject and its row's bug references
 * (expectFaultCaught). Without a lab: the pages are compared with what the registry renders, and
 * the lab suites' sources are read for the faults they inject.
 */
const ROOT = path.resolve(__dirname, '../../..');

function labSuiteSources(dir: string): { file: string; text: string }[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return labSuiteSources(p);
    return e.name.endsWith('.lab.test.ts') ? [{ file: path.relative(ROOT, p), text: fs.readFileSync(p, 'utf8') }] : [];
  });
}

/** helpers a suite injects its faults through, each asserting check + subject + bug references */
const ASSERTING_HELPERS = ['describeBugFaults', 'describeRunAgainstLab', 'describeNovaLab', 'expectFaultCaught'];

describe('fault docs and live coverage come from the fault registry (issue 12)', () => {
  const rows = listEveryFault();

  for (const { file, block } of FAULT_DOC_PAGES)
    it(`${file}: its ${block} table is the registry's (else: npm run build && node scripts/render-fault-docs.js)`, () => {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      const rendered = replaceDocBlock(text, block, renderFaultDocBlock(block, rows));
      expect(rendered, `${file} has the ${block} markers`).to.be.a('string');
      expect(text).to.equal(rendered);
    });

  it('the README table has one line per §7 fault, with its row, bug, check and how it was reproduced', () => {
    const table = renderFaultDocBlock('fault-rows', rows);
    for (const r of rows.filter((x) => x.row !== undefined && x.how !== 'not-held')) {
      const line = table.split('\n').find((l) => l.includes(`\`${r.name}\``));
      expect(line, r.name).to.be.a('string');
      expect(line).to.match(new RegExp(`^\\| ${r.row} \\| `)).and.include(r.bugs[0]!).and.include(r.check).and.match(/\| (mechanism|symptom)/);
    }
    expect(table).to.not.include('`node-unreachable`'); // no §7 row: only in docs/faults.md
    expect(renderFaultDocBlock('fault-all', rows)).to.include('`node-unreachable`');
  });

  for (const r of rows)
    it(`${r.name}: the registry names a subject field the finding must carry, and its check references the row's bugs`, () => {
      expect(subjectKeysNamed(r.subject), `subject "${r.subject}"`).to.not.deep.equal([]);
      const check = findCheck(r.check) ?? (r.check === NODE_REACHABLE_CHECK.id ? NODE_REACHABLE_CHECK : undefined);
      expect(check, `check ${r.check}`).to.not.equal(undefined);
      const refs = check!.references.filter((x) => x.kind === 'bug').map((x) => x.ref);
      expect(refs).to.include.members(r.bugs);
    });

  it('every fault of the registry is injected by a live-lab suite that asserts check, subject and bug references', () => {
    const suites = labSuiteSources(path.join(ROOT, 'test'));
    const iterated = (registry: readonly { name: string }[], name: string, file: string) =>
      registry.some((f) => f.name === name) && suites.some((s) => s.file === file && s.text.includes('expectFaultCaught'));
    const unseen = rows.filter((r) => {
      if (iterated(OVN_FAULTS, r.name, 'test/lab/ovn-engine.lab.test.ts')) return false;
      if (iterated(NEUTRON_FAULTS, r.name, 'test/lab/neutron-engine.lab.test.ts')) return false;
      const named = new RegExp(`(['"\`])${r.name}\\1|^\\s*${r.name}:`, 'm');
      return !suites.some((s) => named.test(s.text) && ASSERTING_HELPERS.some((h) => s.text.includes(h)));
    });
    expect(unseen.map((r) => r.name), 'faults no live suite injects').to.deep.equal([]);
  });
});
