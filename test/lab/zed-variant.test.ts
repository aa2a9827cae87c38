import { expect } from 'chai';
import { buildPlan } from '../../src/lab/plan';
import { LAB_RELEASES, rulesOf } from '../../src/lab/releases';
import { renderNodeInfra } from '../../src/lab/render-host';
import { keepalivedConfFor, renderKeepalivedStart, snatIptables } from '../../src/lab/render-node';
import { renderNodeDataplane } from '../../src/lab/render-dataplane';
import { labPaths } from '../../src/lab/paths';

/**
 * `lab up --release zed` renders what the real-Neutron engine showed (docs/real-engine.md, column
 * "hand-built zed matches"); the other releases keep their shapes. Pure rendering, no root.
 */
describe('lab release zed (pure rendering)', () => {
  const fip = { '203.0.113.101': 'vm1' };

  it('is a lab release; the older ones carry no real-engine shape', () => {
    expect(LAB_RELEASES).to.include('zed');
    for (const r of LAB_RELEASES.filter((x) => x !== 'zed')) expect(rulesOf(r).real, r).to.equal(undefined);
    expect(rulesOf('zed').primaryWord).to.equal('primary');
    expect(rulesOf('zed').haNonlocalBind).to.equal(false);
  });

  it('row 9: VRIDs and ha- addresses drawn (reproducibly) instead of 1/2 and 169.254.192.1..; other releases unchanged', () => {
    const z = buildPlan('neutron-l3ha', { release: 'zed', extras: true });
    const again = buildPlan('neutron-l3ha', { release: 'zed', extras: true });
    expect(z.router.haVrId).to.equal(again.router.haVrId);
    expect(z.router.haVrId).to.be.within(2, 254);
    expect(z.extras!.router.haVrId).to.be.within(1, 254).and.not.equal(z.router.haVrId);
    const ips = [...Object.values(z.router.ha), ...Object.values(z.extras!.router.ha)].map((p) => p.ip);
    expect(new Set(ips).size).to.equal(ips.length);
    for (const ip of ips) expect(ip).to.match(/^169\.254\.(19[2-9]|2[0-4]\d|25[0-5])\.\d+$/).and.not.match(/^169\.254\.192\.[123]$/);
    const t = buildPlan('neutron-l3ha', { release: 'train' });
    expect(t.router.haVrId).to.equal(1);
    expect(Object.values(t.router.ha).map((p) => p.ip)).to.deep.equal(['169.254.192.1', '169.254.192.2', '169.254.192.3']);
  });

  it('row 9: keepalived.conf — router_id neutron, no_track everywhere, link-local VIPs of qr-/qg- on an IPv4-only router, no protocol static', () => {
    const z = buildPlan('neutron-l3ha', { release: 'zed' });
    const conf = keepalivedConfFor(z, 'net1', fip);
    expect(conf).to.include('    router_id neutron\n');
    expect(conf).to.include(`    virtual_router_id ${z.router.haVrId}\n`);
    expect(conf).to.include(`        169.254.0.${z.router.haVrId}/24 dev ${z.router.ha.net1.device}\n`);
    expect(conf).to.match(new RegExp(`fe80::\\S+/64 dev ${z.router.qr.device} scope link no_track`));
    expect(conf).to.match(new RegExp(`fe80::\\S+/64 dev ${z.router.qg.device} scope link no_track`));
    expect(conf).to.include(`        0.0.0.0/0 via 203.0.113.1 dev ${z.router.qg.device} no_track\n`);
    expect(conf).to.not.include('protocol static');
    expect(keepalivedConfFor(buildPlan('neutron-l3ha', { release: 'train' }), 'net1', fip)).to.not.include('fe80::');
  });

  it('row 9: HA namespaces keep IPv6 on with addr_gen_mode=1; the DVR-HA snat namespace flushes sg-/qg- and has ip_nonlocal_bind 0', () => {
    const z = buildPlan('neutron-l3ha', { release: 'zed' });
    expect(renderNodeDataplane(z, 'net1', fip)).to.include(`mkns6 qrouter-${z.router.id} ha`);
    expect(renderNodeDataplane(buildPlan('neutron-l3ha', { release: 'train' }), 'net1', fip)).to.match(/mkns qrouter-/);
    const d = buildPlan('neutron-dvr-snat-ha', { release: 'zed' });
    const text = renderNodeDataplane(d, 'net1', {});
    expect(text).to.include(`mkns6 snat-${d.router.id}\n`);
    expect(text).to.include(`ip -n snat-${d.router.id} -6 addr flush dev ${d.router.qg.device}`);
    expect(text).to.match(new RegExp(`nssysctl snat-${d.router.id} .*net\\.ipv4\\.ip_nonlocal_bind=0`));
  });

  it('row 11: address-scope marks, filter scope DROPs and the qg- CONNMARK save (zed only)', () => {
    const d = buildPlan('neutron-dvr-snat-ha', { release: 'zed' });
    const ipt = snatIptables(d, {});
    expect(ipt).to.include(`-A neutron-l3-agent-scope -i ${d.router.sg!.device} -j MARK --set-xmark 0x4000000/0xffff0000`);
    expect(ipt).to.include(`-A neutron-l3-agent-scope -i ${d.router.qg.device} -j MARK --set-xmark 0x4000000/0xffff0000`);
    expect(ipt).to.include(`-A neutron-l3-agent-scope -o ${d.router.sg!.device} -m mark ! --mark 0x4000000/0xffff0000 -j DROP`);
    expect(ipt).to.not.include(`-A neutron-l3-agent-scope -o ${d.router.qg.device}`);
    expect(ipt).to.include(`-A neutron-l3-agent-POSTROUTING -o ${d.router.qg.device} -m connmark --mark 0x0/0xffff0000 -j CONNMARK --save-mark`);
    expect(snatIptables(buildPlan('neutron-dvr-snat-ha', { release: '2024.1' }), {})).to.not.include('0x4000000');
  });

  it('row 4: the dvr_snat nodes get an fg- port; row 5: neutron\'s bridges are not set up; row 10: a respawning monitor', () => {
    const d = buildPlan('neutron-dvr', { release: 'zed' });
    expect(Object.keys(d.router.fg).sort()).to.deep.equal(['cmp1', 'cmp2', 'net1']);
    expect(Object.keys(buildPlan('neutron-dvr', { release: 'train' }).router.fg).sort()).to.deep.equal(['cmp1', 'cmp2']);
    const paths = labPaths('/var/tmp/x');
    const node = d.nodes.find((n) => n.name === 'net1')!;
    expect(renderNodeInfra(node, d, paths)).to.include('for d in ex-up dt-up; do ip link set $d up; done');
    expect(renderNodeInfra(node, buildPlan('neutron-dvr', {}), paths)).to.include('for d in br-int br-ex br-tun ex-up dt-up;');
    const z = buildPlan('neutron-l3ha', { release: 'zed' });
    expect(renderKeepalivedStart(z, 'net1')).to.include('.pid.process-monitor');
    expect(renderKeepalivedStart(buildPlan('neutron-l3ha', { release: 'train' }), 'net1')).to.not.include('process-monitor');
  });
});
