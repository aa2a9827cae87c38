import { expect } from 'chai';
import { BenchUsageError, sectionsOf } from '../../bench/run';

describe('npm run bench: which sections run', () => {
  it('all by default, the two lab-less ones with --quick, the named ones in run order with --only', () => {
    expect(sectionsOf([])).to.deep.equal(['parse', 'capture', 'lab', 'real-engine', 'collect', 'floor', 'scale', 'garp']);
    expect(sectionsOf(['--quick'])).to.deep.equal(['parse', 'capture']);
    expect(sectionsOf(['--only', 'garp,real-engine'])).to.deep.equal(['real-engine', 'garp']);
  });

  it('an unknown or empty --only is a usage error naming the sections', () => {
    expect(() => sectionsOf(['--only', 'nope'])).to.throw(BenchUsageError, /unknown: nope/);
    expect(() => sectionsOf(['--only'])).to.throw(BenchUsageError, /real-engine/);
  });
});
