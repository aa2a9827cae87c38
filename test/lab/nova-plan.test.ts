import { expect } from 'chai';
import { validateFacts } from '../../src/model/load-facts';
import { buildNovaFacts, buildNovaPlan, initialNovaFips, NOVA_LAB_PROFILES } from '../../src/lab/nova/plan';
import { dnsmasqArgv, renderNovaIptables, renderNovaNode } from '../../src/lab/nova/render';
import { buildVlanFacts, renderVlanNode } from '../../src/lab/nova/vlan';
import { labPaths } from '../../src/lab/paths';

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

describe('nova lab plan: VlanManager and share_address (issue 9)', () => {
  it('nova-vlan: vm1 on vlan 100 / br100, vm2 on vlan 101 / br101, both networks on net1; the facts say VlanManager', () => {
    const plan = buildNovaPlan('nova-vlan');
    const fips = initialNovaFips(plan);
    const facts = buildVlanFacts(plan, fips);
    expect(validateFacts(JSON.parse(JSON.stringify(facts)))).to.equal(undefined);
    expect(facts.nova!.networkManager).to.equal('vlan');
    expect(facts.nova!.networks.map((n) => [n.label, n.vlan, n.bridge, n.bridgeInterface, n.host])).to.deep.equal([['private', 100, 'br100', 'eth1', 'net1'], ['private2', 101, 'br101', 'eth1', 'net1']]);
    expect(facts.nova!.fixedIps!.map((f) => [f.instanceName, f.address, f.host])).to.deep.equal([['vm1', '10.0.0.11', 'cmp1'], ['vm2', '10.0.1.12', 'cmp2']]);
    const net1 = renderVlanNode(plan, 'net1', fips, labPaths('/var/tmp/x'));
    // the stand-in for `ip link add link eth1 name vlan101 type vlan id 101`: a tagged OVS internal port
    expect(net1).to.contain("ovs-vsctl -- --may-exist add-port br-vlan vlan101 tag=101 -- set Interface vlan101 type=internal");
    expect(net1).to.contain('ip link set vlan101 master br101');
    expect(net1).to.contain('ip addr add 10.0.1.1/24 brd 10.0.1.255 dev br101');
    expect(net1).to.contain('network_manager = nova.network.manager.VlanManager');
    const cmp1 = renderVlanNode(plan, 'cmp1', fips, labPaths('/var/tmp/x'));
    expect(cmp1).to.contain('vlan100').and.not.contain('vlan101');
    expect(cmp1).not.to.contain('dnsmasq');
  });

  it('nova-multihost-shared: every compute carries 10.0.0.1, hands out 3,10.0.0.1 and inserts the isolate_dhcp_address rules; run profile nova-multihost', () => {
    const plan = buildNovaPlan('nova-multihost-shared');
    const fips = initialNovaFips(plan);
    const facts = buildNovaFacts(plan, fips);
    expect(validateFacts(JSON.parse(JSON.stringify(facts)))).to.equal(undefined);
    expect(facts.profile).to.equal('nova-multihost');
    expect(facts.nova!.networks[0]).to.include({ shareAddress: true, dhcpServer: '10.0.0.1', multiHost: true });
    expect(facts.nova!.dhcpServers!.map((d) => d.address)).to.deep.equal(['10.0.0.1', '10.0.0.1']);
    const cmp2 = renderNovaNode(plan, 'cmp2', fips);
    expect(cmp2).to.contain("'3,10.0.0.1'");
    expect(cmp2).to.contain('ebtables -t filter -I INPUT -p ARP -i eth1 --arp-ip-dst 10.0.0.1 -j DROP');
    expect(cmp2).to.contain('ebtables -t filter -I FORWARD -p IPv4 -o eth1 --ip-protocol udp --ip-destination-port 67:68 -j DROP');
    expect(cmp2).to.contain('share_dhcp_address = True');
    expect(cmp2.indexOf('ebtables -t filter -I OUTPUT')).to.be.lessThan(cmp2.indexOf('ip addr add 10.0.0.1/24'));
  });
});
