import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { applyWaivers } from '../../src/report/apply-waivers';
import { escapeXml } from '../../src/report/escape-xml';
import { parseWaivers } from '../../src/report/load-waivers';
import { renderJunit } from '../../src/report/render-junit';
import { parseXml, type XmlElement } from './check-xml';
import { makeHistory, WAIVERS_YAML } from './fixtures';

function all(el: XmlElement, name: string): XmlElement[] {
  return [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];
}

describe('report: renderJunit', () => {
  const run2 = makeHistory()[1];

  it('is well-formed XML: one suite per check, one testcase per row', () => {
    const root = parseXml(renderJunit(run2));
    expect(root.name).to.equal('testsuites');
    expect(root.attrs).to.include({ tests: '8', failures: '1', errors: '0', skipped: '0' });
    const suites = all(root, 'testsuite');
    expect(suites.map((s) => s.attrs.name)).to.deep.equal(['l3ha-single-primary', 'nat-fip-rules', 'keepalived-config']);
    expect(all(root, 'testcase')).to.have.length(run2.rows.length);
  });

  it('carries message, expected/actual and the cited evidence (control chars made visible)', () => {
    const root = parseXml(renderJunit(run2));
    const failing = all(root, 'testcase').find((t) => t.children.some((c) => c.name === 'failure'))!;
    expect(failing.attrs.name).to.equal('net1/qrouter-5d2c1e8a-7b3f-4c1d-9e2a-0f6b8c4d2a11/fip 203.0.113.10');
    const failure = failing.children.find((c) => c.name === 'failure')!;
    expect(failure.attrs.message).to.equal('no DNAT rule for 203.0.113.10 in neutron-l3-agent-PREROUTING');
    expect(failure.attrs.type).to.equal('critical');
    expect(failure.text).to.include('expected: -A neutron-l3-agent-PREROUTING -d 203.0.113.10/32').and.include('actual:   (no rule)');
    const out = failing.children.find((c) => c.name === 'system-out')!;
    expect(out.text).to.include('ip netns exec qrouter-').and.include('\\x1B[0m<end> & "quotes" \\x00nul');
  });

  it('turns waived failures into skipped testcases that say until when', () => {
    const run4 = applyWaivers(makeHistory()[3], parseWaivers(WAIVERS_YAML, 'w.yaml'), new Date('2024-05-04T03:00:00Z'));
    const root = parseXml(renderJunit(run4));
    expect(root.attrs).to.include({ failures: '0', skipped: '1' });
    expect(all(root, 'skipped')[0].attrs.message).to.equal('waived until 2024-06-01 (W-1): net2 is replaced next sprint, CHG-1234');
  });

  it('passes a real XML parser too (python3 minidom, when present)', function () {
    let hasPython = true;
    try {
      execFileSync('python3', ['-c', 'import xml.dom.minidom'], { stdio: 'ignore' });
    } catch {
      hasPython = false;
    }
    if (!hasPython) this.skip();
    const xml = renderJunit(run2);
    const out = execFileSync('python3', ['-c', 'import sys,xml.dom.minidom as m; d=m.parseString(sys.stdin.buffer.read()); print(len(d.getElementsByTagName("testcase")))'], { input: xml });
    expect(out.toString().trim()).to.equal(String(run2.rows.length));
  });

  it('escapes markup, quotes and forbidden characters', () => {
    expect(escapeXml('a<b>&"\'\u0001\t\n\uFFFE\uD800z')).to.equal('a&lt;b&gt;&amp;&quot;&#39;\\x01\t\n\\uFFFE\\uD800z');
  });
});
