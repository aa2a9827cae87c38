import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { labEngineOf, refuseOtherEngine } from '../../src/lab/engine-of-dir';
import { mayNeutronSweep } from '../../src/lab/neutron/down';
import { neutronOwner, otherLiveNeutronLab } from '../../src/lab/neutron/names';
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
  // refuseOtherEngine is the first thing labDown and neutronLabDown do; called directly here, so a
  // broken refusal can never sweep the machine's lab namespaces from a unit test
  const refusal = (fn: () => void): HaprobeError => {
    try {
      fn();
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

  it('hand-built down on a real-engine lab: usage error with the right command, the dir kept', () => {
    const d = dirWith('real', { version: 1, engine: 'neutron', phase: 'building', control: [] }, true);
    const e = refusal(() => refuseOtherEngine(d, 'hand'));
    expect(e).to.be.instanceOf(HaprobeError);
    expect(e.code).to.equal('usage');
    expect(e.format()).to.include('holds a lab of the real (neutron) engine: nothing taken down').and.include(`haprobe lab down --engine neutron --state-dir ${d}`);
    expect(fs.existsSync(path.join(d, 'control', 'mysql'))).to.equal(true);
  });

  it('real-engine down on a hand-built lab: usage error with the right command, the dir kept', () => {
    expect(() => refuseOtherEngine(dirWith('same', { version: 1, engine: 'neutron' }), 'neutron')).to.not.throw();
    const d = dirWith('hand', { version: 1, profile: 'neutron-l3ha', nodes: {} });
    const e = refusal(() => refuseOtherEngine(d, 'neutron'));
    expect(e.code).to.equal('usage');
    expect(e.format()).to.include('holds a lab of the hand-built engine').and.include(`--engine hand --state-dir ${d}`);
    expect(fs.existsSync(path.join(d, 'lab.json'))).to.equal(true);
  });

  it('mayNeutronSweep: not while the owner file names another dir that still holds a lab.json', () => {
    const owner = path.join(root, 'owner');
    const live = dirWith('live', { version: 1, engine: 'neutron', phase: 'up', control: [] });
    const other = path.join(root, 'other');
    expect(mayNeutronSweep(other, path.join(root, 'no-owner-file')), 'no owner').to.equal(true);
    fs.writeFileSync(owner, `${live}\n`);
    expect(mayNeutronSweep(other, owner), 'another lab is up').to.equal(false);
    expect(mayNeutronSweep(live, owner), 'the owner itself').to.equal(true);
    fs.rmSync(path.join(live, 'lab.json'));
    expect(mayNeutronSweep(other, owner), 'the owner left no lab.json').to.equal(true);
  });

  it('otherLiveNeutronLab (lab up refuses beside it, lab down spares its names): the owner file\'s dir, when it is another and holds a lab.json', () => {
    const owner = path.join(root, 'owner2');
    const live = dirWith('live2', { version: 1, engine: 'neutron', phase: 'up', control: [] });
    expect(neutronOwner(owner), 'no owner file').to.equal('');
    expect(otherLiveNeutronLab(path.join(root, 'x'), owner)).to.equal(undefined);
    fs.writeFileSync(owner, `${live}\n`);
    expect(neutronOwner(owner)).to.equal(live);
    expect(otherLiveNeutronLab(path.join(root, 'x'), owner)).to.equal(live);
    expect(otherLiveNeutronLab(live, owner), 'the owner itself').to.equal(undefined);
    fs.writeFileSync(owner, 'relative/dir\n');
    expect(otherLiveNeutronLab(path.join(root, 'x'), owner), 'a relative path is no lab').to.equal(undefined);
    fs.writeFileSync(owner, '\n');
    expect(otherLiveNeutronLab(path.join(root, 'x'), owner), 'an empty owner file').to.equal(undefined);
  });
});
