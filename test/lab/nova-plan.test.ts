import { expect } from 'chai';
import { validateFacts } from '../../src/model/load-facts';
import { buildNovaFacts, buildNovaPlan, initialNovaFips, NOVA_LAB_PROFILES } from '../../src/lab/nova/plan';
import { dnsmasqArgv, renderNovaIptables, renderNovaNode } from '../../src/lab/nova/render';

/** the nova lab's plan and scripts are pure (issue 9): checked without root */
describe('nova lab plan and rendering', () => {
  for (const p of NOVA_LAB_PROFILES)
    it(`${p.id}: the facts the lab writes pass the facts schema (unknown fields refused)`, () => {
      const plan = buildNovaPlan(p.id);
      const facts = buildNovaFacts(plan, initialNovaFips(plan));
      expect(validateFacts(JSON.parse(JSON.stringify(facts)))).to.equal(undefined);
      expect(facts.nova!.networks[0]!.multiHost).to.equal(p.multiHost);
    });

  it('nova-flatdhcp: net1 serves every instance; the FIPs and their NAT live on net1 only', () => {
    const plan = buildNovaPlan('nova-flatdhcp');
    const fips = initialNovaFips(plan);
    const net1 = plan.hosts.find((h) => h.name === 'net1')!;
    const rules = renderNovaIptables(plan, net1, fips);
    expect(rules).to.contain('-A nova-network-float-snat -s 10.0.0.11/32 -o eth0 -j SNAT --to-source 203.0.113.101');
    expect(rules).to.contain('-A nova-network-PREROUTING -s 0.0.0.0/0 -d 169.254.169.254/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 203.0.113.2:8775');
    expect(renderNovaNode(plan, 'net1', fips)).to.contain("'3,10.0.0.1'");
    expect(renderNovaNode(plan, 'cmp1', fips)).not.to.contain('dnsmasq');
    expect(dnsmasqArgv(plan, net1)).to.include('--listen-address=10.0.0.1');
  });

  it('nova-multihost: each compute hands out its own dhcp_server as gateway and binds only its instances\' FIPs', () => {
    const plan = buildNovaPlan('nova-multihost');
    const fips = initialNovaFips(plan);
    const cmp2 = renderNovaNode(plan, 'cmp2', fips);
    expect(cmp2).to.contain("'3,10.0.0.3'");
    expect(cmp2).to.contain('ip addr add 203.0.113.102/32 dev eth0');
    expect(cmp2).not.to.contain('203.0.113.101/32 dev eth0');
  });
});
