import { expect } from 'chai';
import { splitIntoLanes } from './run-suite';

describe('test runner: the two lanes of npm test', function () {
  const files = [
    '/x/dist/test/analyze/analyze.lab.test.js',
    '/x/dist/test/capture/live.test.js',
    '/x/dist/test/lab/neutron-engine.lab.test.js',
    '/x/dist/test/lab/ovn-engine.lab.test.js',
    '/x/dist/test/lab/zed-variant.lab.test.js',
    '/x/dist/test/parse/ip-addr.test.js',
  ];

  it('hand-built lab files in one lane; unit tests then the real engines in the other; every file once', function () {
    const [handBuilt, rest] = splitIntoLanes(files);
    expect(handBuilt.files).to.deep.equal([
      '/x/dist/test/analyze/analyze.lab.test.js',
      '/x/dist/test/lab/zed-variant.lab.test.js',
    ]);
    expect(rest.files).to.deep.equal([
      '/x/dist/test/capture/live.test.js',
      '/x/dist/test/parse/ip-addr.test.js',
      '/x/dist/test/lab/neutron-engine.lab.test.js',
      '/x/dist/test/lab/ovn-engine.lab.test.js',
    ]);
    expect([...handBuilt.files, ...rest.files].sort()).to.deep.equal([...files].sort());
  });
});
