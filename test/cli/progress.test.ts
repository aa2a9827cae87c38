import { expect } from 'chai';
import { showsNodeUpdate } from '../../src/cli/progress';

/** issue 10: a 200-node run prints a readable progress, not 200 lines, in a CI log */
describe('progress: per-node updates (issue 10)', () => {
  const shown = (total: number, plain: boolean, failedAt: number[] = []): number[] =>
    Array.from({ length: total }, (_, i) => i + 1).filter((done) => showsNodeUpdate({ plain, done, total, failed: failedAt.includes(done) }));

  it('the animated renderer redraws one line: every update', () => {
    expect(shown(200, false)).to.have.length(200);
  });

  it('plain renderer, 200 nodes: every tenth of the way plus unreachable nodes', () => {
    expect(shown(200, true)).to.deep.equal([20, 40, 60, 80, 100, 120, 140, 160, 180, 200]);
    expect(shown(200, true, [7, 133])).to.deep.equal([7, 20, 40, 60, 80, 100, 120, 133, 140, 160, 180, 200]);
  });

  it('plain renderer, a small lab: every node', () => {
    expect(shown(7, true)).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);
    expect(shown(33, true).at(-1)).to.equal(33);
  });
});
