import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../helpers/run-cli';
import { useSilentNode } from '../helpers/silent-node';

/**
 * Issue 10: `haprobe run` starts its SSH handshakes once the inventory is read and the profile is
 * known to exist, and loads the rest meanwhile. A mistyped -p still reaches no node; a broken
 * input found after the handshakes began ends the run with exit 2 at once, its connection closed.
 */


describe('run: handshakes start while the profile loads (issue 10)', function () {
  this.timeout(30_000);
  const node = useSilentNode('cmp9', 'compute');
  const { sockets } = node;

  it('an unknown profile is exit 2 before any node is contacted', async () => {
    const r = await runCli(['run', '-q', '-i', node.inventory(), '-p', 'neutron-dvrr']);
    expect(r.status, r.stderr).to.equal(2);
    expect(r.stderr).to.include('unknown profile "neutron-dvrr"').and.include('known profiles:');
    expect(sockets.size).to.equal(0);
  });

  it('a broken facts file found during the handshake: exit 2 naming it, without waiting for the connect', async () => {
    const facts = path.join(node.dir, 'facts.json');
    fs.writeFileSync(facts, '{"routers": [');
    const r = await runCli(['run', '-q', '-i', node.inventory(), '-p', 'neutron-dvr', '-f', facts]);
    expect(r.status, r.stderr).to.equal(2);
    expect(r.stderr).to.include(facts);
    // the silent node never finishes a handshake: the run did not wait for its connect timeout
    expect(r.ms).to.be.below(8_000);
    expect(sockets.size, 'the handshake had started').to.equal(1);
  });
});
