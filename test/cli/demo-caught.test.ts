import { expect } from 'chai';
import { faultCaught } from '../../src/cli/commands/demo';
import type { RunResult } from '../../src/report/result';
import type { Finding, Verdict } from '../../src/engine/types';

const finding = (checkId: string, verdict: Verdict): Finding => ({ checkId, severity: 'major', verdict, subject: { node: 'net1' }, message: 'm', evidence: [] });
const result = (...findings: Finding[]): Pick<RunResult, 'findings'> => ({ findings });

describe('demo: was the injected fault caught', () => {
  it('only a fail or warn of the fault\'s check counts; skip (node not judged), error (check crashed) and pass do not', () => {
    expect(faultCaught(result(finding('nat-rules', 'fail')), 'nat-rules')).to.equal(true);
    expect(faultCaught(result(finding('nat-rules', 'warn')), 'nat-rules')).to.equal(true);
    expect(faultCaught(result(finding('nat-rules', 'skip')), 'nat-rules')).to.equal(false);
    expect(faultCaught(result(finding('nat-rules', 'error')), 'nat-rules')).to.equal(false);
    expect(faultCaught(result(finding('nat-rules', 'pass')), 'nat-rules')).to.equal(false);
    expect(faultCaught(result(finding('device-mac', 'fail')), 'nat-rules')).to.equal(false);
  });
});
