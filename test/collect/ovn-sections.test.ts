import { expect } from 'chai';
import { buildSnapshotScript } from '../../src/collect/script';
import { readScriptOutput } from '../../src/collect/collect';
import { readFixture } from '../checks/fixtures/ovn';

/** issue 11: the OVN sections of the snapshot script — gated, fixed words, parsed into NodeSnapshot.ovn */
const frame = (key: string, body: string, rc = 0): string => `\n@@HP>${key}\n${body}\n@@HP<${key} ${rc}\n`;

describe('collect: OVN sections (issue 11)', () => {
  const script = buildSnapshotScript();

  it('reads NB/SB only where the socket is local and chassis data only where Open_vSwitch has ovn-remote', () => {
    expect(script).to.include('[ -S "$d_/ovnnb_db.sock" ] && { sec ovn-nb ovn-nbctl --db="unix:$d_/ovnnb_db.sock" --no-leader-only --timeout=10 --format=json --data=json -- list Logical_Router');
    expect(script).to.include('sec ovn-sb ovn-sbctl');
    expect(script).to.include('-- --columns=_uuid,logical_port,type,chassis,additional_chassis,datapath,mac,up,ha_chassis_group,options,external_ids list Port_Binding');
    expect(script).to.match(/OR_=\$\(ovs-vsctl --timeout=5 get Open_vSwitch \. external_ids:ovn-remote 2>\/dev\/null\)\n  if \[ -n "\$OR_" \]; then\n    sec ovn-chassis /);
  });

  it('is not in the gateway (root only) script', () => {
    expect(buildSnapshotScript({ rootOnly: true })).to.not.include('ovn-nbctl');
  });

  it('quotes run directories given as options', () => {
    const s = buildSnapshotScript({ ovnRunDirs: ["/tmp/x'; rm -rf /"] });
    expect(s).to.include("for d_ in '/tmp/x'\\''; rm -rf /'; do");
  });

  it('framed outputs → snapshot.ovn (real 23.03 NB/SB and chassis outputs)', () => {
    const out = frame('ovn-nb', readFixture('healthy/nb.txt').trim()) + frame('ovn-sb', readFixture('healthy/sb.txt').trim()) +
      frame('ovn-chassis', readFixture('chassis/gw1-bfd-up.txt').trim()) + frame('ovn-controller', 'version: ovn-controller 23.03.1\nrunning: yes');
    const { snapshot, warnings } = readScriptOutput('ctl1', ['controller'], out);
    expect(warnings).to.deep.equal([]);
    expect(snapshot.ovn!.nb!.routers).to.have.length(2);
    expect(snapshot.ovn!.sb!.chassis).to.have.length(5);
    expect(snapshot.ovn!.local!.externalIds['system-id']).to.equal('gw1');
    expect(snapshot.ovn).to.include({ version: '23.03.1', controllerRunning: true });
    expect(snapshot.evidence['ovn-nb']).to.equal('ctl1/ovn-nb');
  });

  it('a failed NB read leaves nb unknown; a non-OVN node has no ovn at all', () => {
    const failed = readScriptOutput('ctl1', ['controller'], frame('ovn-nb', 'ovn-nbctl: unix:/run/ovn/ovnnb_db.sock: database connection failed', 1));
    expect(failed.snapshot.ovn).to.deep.equal({});
    expect(readScriptOutput('net1', ['network'], frame('netns', '')).snapshot.ovn).to.equal(undefined);
  });
});
