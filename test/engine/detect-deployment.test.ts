import { expect } from 'chai';
import type { CloudSnapshot } from '../../src/engine/types';
import type { NodeSnapshot } from '../../src/model/types';
import { assertProfileFitsDataPlane, dataPlaneOfProfile, detectDataPlane } from '../../src/engine/detect-deployment';
import { ovnCloud } from '../checks/fixtures/ovn';
import { HaprobeError } from '../../src/errors';
import { realNode } from '../checks/fixtures/real';
import { buildCloud, MODES } from '../checks/fixtures/cloud';

/** issue 15: a data plane of another kind than the profile is refused (exit 2), tested on REAL outputs */
const cloud = (...nodes: NodeSnapshot[]): CloudSnapshot => ({ nodes, unreachable: [] });
const refusal = (s: CloudSnapshot): HaprobeError => {
  try {
    assertProfileFitsDataPlane('neutron-l3ha', s);
  } catch (e) {
    if (e instanceof HaprobeError) return e;
    throw e;
  }
  throw new Error('not refused');
};

describe('detect-deployment: profile/data plane mismatch (issue 15)', () => {
  it('ML2/OVN (9506 gateway chassis, 2024.1): refused as "looks like ML2/OVN" naming the evidence', () => {
    // `ovs-vsctl show` is real; the ovnmeta- namespace name is the one of the same notes (`ip link`: link-netns ovnmeta-bdf0edc2-…)
    const gw = realNode('gw1', ['network'], {
      'ovs-show': { file: '9506-ovn-controller-ovs-vsctl-show-router.txt' },
      netns: { text: 'ovnmeta-bdf0edc2-bae8-4cc7-85b2-2cc4e82ab10f\n' },
      'route:ovnmeta-bdf0edc2-bae8-4cc7-85b2-2cc4e82ab10f': { file: '9506-ovn-ovnmeta-ip-route-show.txt' },
    });
    const err = refusal(cloud(gw));
    expect(err.code).to.equal('profile'); // cli/main.ts: every code but internal/lab exits 2
    expect(err.message).to.match(/^this looks like ML2\/OVN, not ML2\/OVS with the neutron L3 agent \(profile neutron-l3ha\)/);
    expect(err.message).to.include('ovnmeta-bdf0edc2-bae8-4cc7-85b2-2cc4e82ab10f');
    expect(err.message).to.include('ovn-32a2f4-0');
  });

  it('ML2/linuxbridge (9506 controller, 2024.1): veth router ports on a node known to run no OVS are refused as linuxbridge', () => {
    const ctl = realNode('controller', ['network'], {
      netns: { file: '9506-lb-controller-netns-elided.txt' },
      'addr:qrouter-fa9a921e-7ff6-4468-a08b-5415cebeb089': { file: '9506-lb-qrouter-ip-addr-show-with-fip.txt' },
      // spec-derived glue: the collector's versions section on a node without ovs-vsctl (src/collect/script.ts), and no OVSDB socket
      versions: { text: 'keepalived: \narping: \novs: \n' },
    });
    const err = refusal(cloud(ctl));
    expect(err.message).to.match(/^this looks like ML2\/linuxbridge, not ML2\/OVS/);
    expect(err.message).to.include('qr-d8316879-dd@if15');
  });

  it('veth router ports with OVS merely not collected are not linuxbridge evidence (Rocky split brain, 9506 without versions): nothing refused', () => {
    // ML2/OVS with ovs_use_veth shows qr-/qg-/ha- as veths too; a snapshot that never looked for OVS cannot tell (issue 15)
    const rocky = realNode('bj-sjhl-os-controller-gray-161-12', ['network'], {
      netns: { text: 'qrouter-d952bcdf-7aa4-4d48-a3d1-b09f305e043e\n' },
      'addr:qrouter-d952bcdf-7aa4-4d48-a3d1-b09f305e043e': { file: 'rocky-split-brain-node12-qrouter-ip-a.txt' },
    });
    const lb = realNode('controller', ['network'], {
      netns: { file: '9506-lb-controller-netns-elided.txt' },
      'addr:qrouter-fa9a921e-7ff6-4468-a08b-5415cebeb089': { file: '9506-lb-qrouter-ip-addr-show-with-fip.txt' },
    });
    for (const n of [rocky, lb]) {
      expect(detectDataPlane(cloud(n)), n.node).to.deep.equal([]);
      expect(() => assertProfileFitsDataPlane('neutron-l3ha', cloud(n))).not.to.throw();
    }
  });

  it('ML2/OVS data planes pass: the real hustcat DVR compute, and every fixture cloud', () => {
    const cmp = realNode('compute1', ['compute'], {
      netns: { text: 'qrouter-dd6481d3-c3c6-4cf8-877c-877c94b2edd3\n' },
      'addr:qrouter-dd6481d3-c3c6-4cf8-877c-877c94b2edd3': { file: 'hustcat-dvr-compute1-qrouter-ip-a.txt' },
      'ovs-show': { file: 'hustcat-dvr-compute1-ovs-vsctl-show-with-fip.txt' },
    });
    expect(() => assertProfileFitsDataPlane('neutron-dvr', cloud(cmp))).not.to.throw();
    expect(detectDataPlane(cloud(cmp)).map((d) => d.kind)).to.deep.equal(['ml2-ovs']);
    for (const m of MODES) expect(() => assertProfileFitsDataPlane('p', buildCloud(m).snapshot), m).not.to.throw();
  });

  it('no evidence of any kind (nothing collected) is not refused', () => {
    expect(() => assertProfileFitsDataPlane('p', cloud())).not.to.throw();
  });

  describe('issue 11: the ovn profile', () => {
    it('a neutron profile on the OVN fixtures (ovn-remote, NB read) is refused and points at --profile ovn', () => {
      const s = ovnCloud().snapshot;
      let err: unknown;
      try { assertProfileFitsDataPlane('neutron-dvr', s, dataPlaneOfProfile('neutron-dvr')); } catch (e) { err = e; }
      expect(err).to.be.instanceOf(HaprobeError);
      expect((err as HaprobeError).message).to.match(/^this looks like ML2\/OVN/).and.include('external_ids:ovn-remote=');
      expect((err as HaprobeError).hint).to.include('--profile ovn');
    });
    it('the ovn profile on OVN passes, and on an ML2/OVS cloud is refused', () => {
      expect(() => assertProfileFitsDataPlane('ovn', ovnCloud().snapshot, dataPlaneOfProfile('ovn'))).to.not.throw();
      expect(() => assertProfileFitsDataPlane('ovn', buildCloud('ha').snapshot, dataPlaneOfProfile('ovn'))).to.throw(HaprobeError, /not ML2\/OVN/);
    });
  });
});
