import { expect } from 'chai';
import { HaprobeError } from '../../src/errors';
import type { Inventory } from '../../src/inventory/types';
import { selectNodes } from '../../src/inventory/select-nodes';

const inv: Inventory = {
  source: 'inv.yaml',
  knownHosts: false,
  nodes: [
    { name: 'net1', address: 'a', port: 22, user: 'root', roles: ['network'], sudo: false },
    { name: 'net2', address: 'b', port: 22, user: 'root', roles: ['network', 'compute'], sudo: false },
    { name: 'cmp1', address: 'c', port: 22, user: 'root', roles: ['compute'], sudo: false },
  ],
};

describe('inventory: selectNodes', () => {
  it('all nodes without filters', () => {
    expect(selectNodes(inv).map((n) => n.name)).to.deep.equal(['net1', 'net2', 'cmp1']);
  });
  it('roles and names intersect', () => {
    expect(selectNodes(inv, { roles: ['compute'] }).map((n) => n.name)).to.deep.equal(['net2', 'cmp1']);
    expect(selectNodes(inv, { roles: ['compute'], names: ['net1', 'net2'] }).map((n) => n.name)).to.deep.equal(['net2']);
  });
  it('an empty selection is an error', () => {
    expect(() => selectNodes(inv, { roles: ['controller'] })).to.throw(HaprobeError, /no node selected by roles controller/);
  });
  it('an unknown name is an error, not a smaller run', () => {
    expect(() => selectNodes(inv, { names: ['net3'] })).to.throw(HaprobeError, /unknown node net3/);
  });
});
