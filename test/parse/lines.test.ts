import { expect } from 'chai';
import { whyNotData } from '../../src/parse/lines';

describe('parse lines: whyNotData', () => {
  it('names elisions and pasted prompts, else the parser\'s own reason', () => {
    expect(whyNotData('...', 'not a rule line')).to.equal('elided output');
    expect(whyNotData('... (stuff omitted) ...', 'not a rule line')).to.equal('elided output');
    expect(whyNotData('[root@net1 ~]# ip rule', 'not a rule line')).to.equal('shell prompt line');
    expect(whyNotData('$ ip rule', 'not a rule line')).to.equal('shell prompt line');
    expect(whyNotData('lookup main', 'not a rule line')).to.equal('not a rule line');
  });
});
