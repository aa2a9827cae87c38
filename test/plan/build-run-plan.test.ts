import { expect } from 'chai';
import { haprobeErrorOf } from '../helpers/haprobe-error';
import { loadProfile } from '../../src/profile';
import { parseInventoryYaml } from '../../src/inventory/load-inventory';
import { shardOfName } from '../../src/inventory/shard';
import { CHECKS } from '../../checks';
import { buildRunPlan, checksByIds, checksOfPlan, planChecks, planNodes, selectCheckIds } from '../../src/plan';

// a small inventory in haprobe's own YAML (docs/inventory.md); nothing is contacted
const INVENTORY = parseInventoryYaml(
  [
    'nodes:',
    '  - { name: ctl1, address: 192.0.2.11, roles: [controller] }',
    '  - { name: net1, address: 192.0.2.21, roles: [network] }',
    '  - { name: net2, address: 192.0.2.22, roles: [network] }',
    '  - { name: cmp1, address: 192.0.2.31, roles: [compute] }',
  ].join('\n'),
  'inventory.yaml',
);

describe('run plan (src/plan)', () => {
  describe('checks', () => {
    it('are the profile\'s, in profile order, each with its resolved params', () => {
      const p = loadProfile('neutron-l3ha');
      const planned = planChecks(p);
      expect(planned.map((c) => c.check.id)).to.deep.equal(p.checks.map((c) => c.id));
      const keepalived = planned.find((c) => c.check.id === 'keepalived-config')!;
      expect(keepalived.params['priority'], 'profiles/neutron-l3ha.yaml').to.equal(50);
      expect(keepalived.params['haMode'], 'the profile\'s haMode is handed to every check').to.equal('ha');
      expect(planned.every((c) => c.fromProfile)).to.equal(true);
    });

    it('--check narrows to the named ones, profile order first, then a named check the profile does not list (params {})', () => {
      const p = loadProfile('neutron-legacy');
      const planned = planChecks(p, { only: ['l3ha-single-primary', 'nat-rules', 'namespace-placement'] });
      expect(planned.map((c) => c.check.id)).to.deep.equal(['namespace-placement', 'nat-rules', 'l3ha-single-primary']);
      const added = planned[2]!;
      expect(added.fromProfile).to.equal(false);
      expect(added.params).to.deep.equal({});
    });

    it('--skip leaves checks out; skipping them all is a usage error', () => {
      const p = loadProfile('neutron-legacy');
      const ids = p.checks.map((c) => c.id);
      expect(selectCheckIds(ids, { skip: [ids[0]!] })).to.deep.equal(ids.slice(1));
      const e = haprobeErrorOf(() => planChecks(p, { skip: ids }));
      expect(e.code).to.equal('usage');
      expect(e.where).to.equal('--check/--skip');
    });

    it('an unknown id in --check or --skip is a check error listing the known checks', () => {
      for (const sel of [{ only: ['nat-rulez'] }, { skip: ['nat-rulez'] }]) {
        const e = haprobeErrorOf(() => planChecks(loadProfile('neutron-legacy'), sel));
        expect(e.code).to.equal('check');
        expect(e.message).to.contain('nat-rulez');
        expect(e.hint).to.contain('nat-rules');
      }
    });

    it('a run file\'s check ids map onto the registry; one this haprobe does not know is a usage error naming the file', () => {
      expect(checksByIds(['nat-rules'], 'a.json').map((c) => c.id)).to.deep.equal(['nat-rules']);
      const e = haprobeErrorOf(() => checksByIds(['from-the-future'], 'a.json'));
      expect(e.code).to.equal('usage');
      expect(e.where).to.equal('a.json');
    });

    it('takes the registry as a parameter (the default is checks/index.ts)', () => {
      const only = CHECKS.filter((c) => c.id === 'nat-rules');
      const e = haprobeErrorOf(() => planChecks(loadProfile('neutron-legacy'), { only: ['device-mac'] }, only));
      expect(e.code).to.equal('check');
      expect(e.hint).to.equal('known checks: nat-rules');
    });
  });

  describe('nodes', () => {
    it('--node and --role pick nodes; without --shard the run reads them all', () => {
      expect(planNodes(INVENTORY).nodes.map((n) => n.name)).to.deep.equal(['ctl1', 'net1', 'net2', 'cmp1']);
      const byRole = planNodes(INVENTORY, { roles: ['network'] });
      expect(byRole.nodes.map((n) => n.name)).to.deep.equal(['net1', 'net2']);
      expect(byRole.selected).to.deep.equal(byRole.nodes);
      expect(byRole.shard).to.equal(undefined);
    });

    it('--shard K/N reads the K-th slice of the selection and keeps the whole selection', () => {
      const planned = planNodes(INVENTORY, { shard: { index: 1, count: 2 } });
      expect(planned.selected).to.have.length(4);
      expect(planned.nodes.map((n) => n.name)).to.deep.equal(INVENTORY.nodes.filter((n) => shardOfName(n.name, 2) === 1).map((n) => n.name));
      expect(planned.shard).to.deep.equal({ index: 1, count: 2 });
    });

    it('an unknown --node is an inventory error', () => {
      const e = haprobeErrorOf(() => planNodes(INVENTORY, { names: ['net9'] }));
      expect(e.code).to.equal('inventory');
      expect(e.message).to.contain('net9');
    });
  });

  describe('buildRunPlan', () => {
    it('holds the profile, the checks with their params, the nodes and where the expected state comes from', () => {
      const profile = loadProfile('neutron-dvr');
      const nodes = planNodes(INVENTORY, { roles: ['compute'] });
      const plan = buildRunPlan({ profile, nodes, skip: ['prerequisites'], facts: true });
      expect(plan.profile).to.equal(profile);
      expect(plan.nodes).to.equal(nodes);
      expect(plan.expected).to.equal('facts');
      expect(checksOfPlan(plan).map((c) => c.id)).to.deep.equal(profile.checks.map((c) => c.id).filter((id) => id !== 'prerequisites'));
      expect(buildRunPlan({ profile, cloud: true }).expected).to.equal('cloud');
      const offline = buildRunPlan({ profile });
      expect(offline.expected).to.equal('self-consistency');
      expect(offline.nodes, 'analyze takes its nodes from its sources').to.equal(undefined);
    });
  });
});
