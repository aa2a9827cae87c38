import { expect } from 'chai';
import { CHECKS } from '../../checks';
import { NODE_REACHABLE_CHECK } from '../../src/engine/evaluate';
import { publicLinksOf, publicLinksOfAll, splitReference, unmappedIdsOf, PUBLIC_REFERENCES } from '../../src/report/public-references';
import { renderMarkdown } from '../../src/report/render-markdown';
import { renderHtml } from '../../src/report/render-html';
import { makeHistory } from './fixtures';

/** issue 13, "References a reader can open": design notes in, public links out */
describe('report: public references', () => {
  it('every reference of every check is in the one table (or a bug/URL), so none is silently dropped', () => {
    const unmapped = [NODE_REACHABLE_CHECK, ...CHECKS].flatMap((c) => c.references.flatMap((r) => unmappedIdsOf(`${r.kind}:${r.ref}`).map((id) => `${c.id}: ${id}`)));
    expect(unmapped).to.deep.equal([]);
  });

  it('every check cites at least one thing an operator can open', () => {
    for (const c of CHECKS) expect(publicLinksOfAll(c.references.map((r) => `${r.kind}:${r.ref}`)), c.id).to.not.be.empty;
  });

  it('splits the forms the run file stores', () => {
    expect(splitReference("doc:ground-truth §1b, §2b, §2e''")).to.deep.equal(['ground-truth §1b', 'ground-truth §2b', "ground-truth §2e''"]);
    expect(splitReference('seed:002_1c6d23d4934ab412.txt (OVS HA using DVR)')).to.deep.equal(['seed 002_1c6d23d4934ab412.txt']);
    expect(splitReference('bug:lp#1520517')).to.deep.equal(['lp#1520517']);
  });

  it('maps bugs, sections and seeds to public URLs only', () => {
    expect(publicLinksOf('bug:lp#1520517')).to.deep.equal([{ label: 'LP 1520517', url: 'https://bugs.launchpad.net/bugs/1520517' }]);
    expect(publicLinksOf('rhbz#1234567')[0]!.url).to.equal('https://bugzilla.redhat.com/show_bug.cgi?id=1234567');
    expect(publicLinksOf('doc:ground-truth §2e/2f').map((l) => l.url)).to.include('https://opendev.org/openstack/neutron/src/tag/24.0.0/neutron/agent/linux/keepalived.py');
    expect(publicLinksOf('seed:002_1c6d23d4934ab412.txt (OVS HA using DVR)')[0]!.url).to.match(/^https:\/\/docs\.openstack\.org\/neutron\/latest\/admin\/deploy-ovs-ha-dvr\.html$/);
    expect(publicLinksOf('doc:known-bugs-and-anchors §12.5')).to.deep.equal([]);
    expect(publicLinksOf('doc:something nobody mapped')).to.deep.equal([]);
    for (const links of Object.values(PUBLIC_REFERENCES)) for (const l of links) expect(l.url).to.match(/^https:\/\//);
  });

  it('Markdown and HTML reports render the public links, not the design notes', () => {
    const runs = makeHistory().slice(0, 2); // the second run fails nat-fip-rules, which cites lp#1639315
    const md = renderMarkdown(runs);
    const html = renderHtml(runs);
    expect(md).to.include('[LP 1639315](https://bugs.launchpad.net/bugs/1639315)');
    expect(html).to.include('<a href="https://bugs.launchpad.net/bugs/1639315">LP 1639315</a>');
    expect(md).to.not.include('lp#1639315');
  });
});
