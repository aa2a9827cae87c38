import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { labEngineOf } from '../../src/lab/engine-of-dir';
import { labDown } from '../../src/lab/down';
import { neutronLabDown } from '../../src/lab/neutron/down';
import { HaprobeError } from '../../src/errors';

/**
 * `lab down` of one engine on the other engine's state dir (seen by hand: the hand-built down on a
 * half-built real-engine lab removed its nodes and its state dir, and left MariaDB and RabbitMQ
 * running with nothing to find them by): refused before anything is touched.
 */
describe('lab down: the state dir of the other engine is refused, nothing touched', () => {
  let root = '';
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'hp-engine-of-dir-'));
  });
  after(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });
  const dirWith = (name: string, labJson: object | undefined, control = false): string => {
    const d = path.join(root, name);
    fs.mkdirSync(path.join(d, 'nodes', 'net1'), { recursive: true });
    if (labJson) fs.writeFileSync(path.join(d, 'lab.json'), JSON.stringify(labJson));
    if (control) fs.mkdirSync(path.join(d, 'control', 'mysql'), { recursive: true });
    return d;
  };
  const refusal = async (fn: () => Promise<unknown>): Promise<HaprobeError> => {
    try {
      await fn();
    } catch (e) {
      return e as HaprobeError;
    }
    throw new Error('not refused');
  };

  it('labEngineOf: lab.json engine neutron, a hand-built lab.json, control/ without lab.json, nothing', () => {
    expect(labEngineOf(dirWith('a', { version: 1, engine: 'neutron', phase: 'building', control: [] }))).to.equal('neutron');
    expect(labEngineOf(dirWith('b', { version: 1, profile: 'neutron-l3ha', nodes: {} }))).to.equal('hand');
    expect(labEngineOf(dirWith('c', undefined, true))).to.equal('neutron');
    expect(labEngineOf(dirWith('d', undefined))).to.equal(undefined);
  });

  it('hand-built down on a real-engine lab: usage error with the right command, the dir kept', async () => {
    const d = dirWith('real', { version: 1, engine: 'neutron', phase: 'building', control: [] }, true);
    const e = await refusal(() => labDown({ stateDir: d }));
    expect(e).to.be.instanceOf(HaprobeError);
    expect(e.code).to.equal('usage');
    expect(e.format()).to.include('holds a lab of the real (neutron) engine: nothing taken down').and.include(`haprobe lab down --engine neutron --state-dir ${d}`);
    expect(fs.existsSync(path.join(d, 'control', 'mysql'))).to.equal(true);
  });

  it('real-engine down on a hand-built lab: usage error with the right command, the dir kept', async () => {
    const d = dirWith('hand', { version: 1, profile: 'neutron-l3ha', nodes: {} });
    const e = await refusal(() => neutronLabDown({ stateDir: d }));
    expect(e.code).to.equal('usage');
    expect(e.format()).to.include('holds a lab of the hand-built engine').and.include(`--engine hand --state-dir ${d}`);
    expect(fs.existsSync(path.join(d, 'lab.json'))).to.equal(true);
  });
});
