import { expect } from 'chai';
import { HaprobeError } from '../../src/errors';
import { haprobeErrorOf } from '../helpers/haprobe-error';
import { applyWaivers, describeWaiverOutcomes } from '../../src/report/apply-waivers';
import { parseWaivers } from '../../src/report/load-waivers';
import { matchGlob } from '../../src/report/match-glob';
import { FIP, GARP_DELAY, makeHistory, makeRun, WAIVERS_YAML } from './fixtures';

const MAY_4 = new Date('2024-05-04T03:00:00Z');

function loadError(yaml: string): HaprobeError {
  try {
    parseWaivers(yaml, 'waivers.yaml');
  } catch (err) {
    if (err instanceof HaprobeError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('report: waivers', () => {
  const waivers = parseWaivers(WAIVERS_YAML, 'waivers.yaml');

  it('parses globs and per-field patterns, ids default to position', () => {
    expect(waivers.map((w) => w.id)).to.deep.equal(['W-1', 'W-2', 'W-OLD']);
    expect(waivers[1].subject).to.deep.equal({ node: 'cmp*', floatingIp: '203.0.113.*' });
    expect(parseWaivers('- check: a\n  subject: "**"\n  justification: j\n  expires: 2030-01-01\n', 'f')[0].id).to.equal('w1');
  });

  it('validation errors name file, index and field', () => {
    const cases: [string, string][] = [
      ['waivers:\n  - check: a\n    subject: x\n    justification: j\n', 'waivers.yaml: waivers[0].expires'],
      ['waivers:\n  - check: a\n    subject: x\n    justification: j\n    expires: 2024-02-30\n', 'waivers.yaml: waivers[0].expires'],
      ['- check: a\n  subject: x\n  justification: j\n  expires: 2024-01-01\n- check: b\n  justification: j\n  expires: 2024-01-01\n', 'waivers.yaml: waivers[1].subject'],
      ['- check: a\n  subject: { host: x }\n  justification: j\n  expires: 2024-01-01\n', 'waivers.yaml: waivers[0].subject.host'],
      ['- check: a\n  subject: x\n  justification: j\n  expires: 2024-01-01\n  reason: typo\n', 'waivers.yaml: waivers[0].reason'],
      ['- id: A\n  check: a\n  subject: x\n  justification: j\n  expires: 2024-01-01\n- id: A\n  check: a\n  subject: x\n  justification: j\n  expires: 2024-01-01\n', 'waivers.yaml: waivers[1].id'],
      ['waivers: nope\n', 'waivers.yaml'],
    ];
    for (const [yaml, where] of cases) {
      const err = loadError(yaml);
      expect(err.code, yaml).to.equal('waivers');
      expect(err.where, yaml).to.equal(where);
    }
  });

  it('waives the matching finding, recomputes verdict and summary, reports expired and unmatched', () => {
    const run4 = makeHistory()[3];
    expect(run4.verdict).to.equal('fail');
    const out = applyWaivers(run4, waivers, MAY_4);
    expect(out.verdict).to.equal('pass');
    expect(out.summary).to.include({ fail: 0, waived: 1 });
    expect(out.findings[0].waived).to.deep.equal({ justification: 'net2 is replaced next sprint, CHG-1234', expires: '2024-06-01', waiverId: 'W-1' });
    expect(out.waivers).to.include.keys('details');
    expect(out.waivers!.applied).to.deep.equal(['W-1']);
    expect(out.waivers!.unmatched).to.deep.equal(['W-2']);
    expect(out.waivers!.expired).to.deep.equal(['W-OLD']);
    expect(describeWaiverOutcomes(out)).to.deep.equal([
      'waiver W-2 (check nat-fip-rules, subject node=cmp*,floatingIp=203.0.113.*): matched no finding',
      'waiver W-OLD (check keepalived-config, subject **): expired on 2024-04-01: 1 finding no longer waived by it',
    ]);
    expect(run4.findings[0].waived, 'input untouched').to.equal(undefined);
  });

  it('an expired waiver stops waiving (from 00:00 UTC on its expiry date)', () => {
    const run4 = makeHistory()[3];
    const lastDay = applyWaivers(run4, waivers, new Date('2024-05-31T23:59:59Z'));
    expect(lastDay.verdict).to.equal('pass');
    const expired = applyWaivers(lastDay, waivers, new Date('2024-06-01T00:00:00Z'));
    expect(expired.verdict).to.equal('fail');
    expect(expired.findings[0].waived).to.equal(undefined);
    expect(expired.summary).to.include({ fail: 1, waived: 0 });
    expect(expired.waivers!.expired).to.deep.equal(['W-1', 'W-2', 'W-OLD']);
    expect(expired.waivers!.details![0].note).to.equal('expired on 2024-06-01: 1 finding no longer waived by it');
  });

  it('per-field patterns need every named field present', () => {
    const onCmp = { ...GARP_DELAY, checkId: 'nat-fip-rules', subject: { node: 'cmp1', floatingIp: FIP } };
    const run = makeRun('x', '2024-05-04T02:00:00.000Z', [onCmp]);
    const out = applyWaivers(run, waivers, MAY_4);
    expect(out.findings[0].waived?.waiverId).to.equal('W-2');
    expect(out.verdict).to.equal('pass');
  });

  it('globs: * stays within a part, ** crosses parts', () => {
    expect(matchGlob('net2/qrouter-*', 'net2/qrouter-9a7e/qg-1', '/')).to.equal(false);
    expect(matchGlob('net2/qrouter-*/**', 'net2/qrouter-9a7e/qg-1', '/')).to.equal(true);
    expect(matchGlob('fip 203.0.113.?', 'fip 203.0.113.1', '/')).to.equal(true);
    expect(matchGlob('fip 203.0.113.?', 'fip 203.0.113.10', '/')).to.equal(false);
  });
});

describe('report: waivers validation (issue 8)', () => {
  const w = (fields: string): string => `- ${fields}\n  subject: x\n  justification: j\n  expires: 2030-01-01\n`;
  for (const [fields, at, message] of [
    ['check: "nat-fip-rules; rm"', 'waivers[0].check', /is not a check id or a glob/],
    ['check: NAT-FIP-RULES', 'waivers[0].check', /is not a check id or a glob/],
    ['id: "W 7"\n  check: a', 'waivers[0].id', /may only contain/],
    ['check: [a, b]', 'waivers[0].check', /must be a non-empty string/],
  ] as const) {
    it(`refuses ${fields.split('\n')[0]}, naming ${at}`, () => {
      const err = haprobeErrorOf(() => parseWaivers(w(fields), 'w.yaml'));
      expect(err.code).to.equal('waivers');
      expect(err.where).to.equal(`w.yaml: ${at}`);
      expect(err.message).to.match(message);
    });
  }

  it('globs on check ids still load', () => {
    expect(parseWaivers(w('id: W-7\n  check: "l3ha-*"'), 'w.yaml')[0]).to.include({ id: 'W-7', check: 'l3ha-*' });
  });
});
