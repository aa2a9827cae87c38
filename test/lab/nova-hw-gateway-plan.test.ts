import { expect } from 'chai';
import { buildNovaFacts, buildNovaPlan, gatewayOf, initialNovaFips, optsGatewayOf } from '../../src/lab/nova/plan';
import { dnsmasqArgv, renderDnsmasqConfigFile, renderHwGatewayRouter, renderNovaIptables, renderNovaNode } from '../../src/lab/nova/render';
import { renderHwGatewayLink } from '../../src/lab/nova/up';

/** the nova-hw-gateway lab's plan and scripts are pure (issue 9): checked without root */
describe('nova-hw-gateway lab plan and rendering', () => {
  const plan = buildNovaPlan('nova-hw-gateway');
  const fips = initialNovaFips(plan);
  const net1 = plan.hosts.find((h) => h.name === 'net1')!;

  it('the upstream is the router at 10.0.0.254 (networks.gateway); instances route through it, the opts file hands it out, dhcp_server stays 10.0.0.1', () => {
    expect(plan.hwGateway).to.deep.equal({ node: 'upstream', address: '10.0.0.254' });
    expect(gatewayOf(plan, 'cmp1')).to.equal('10.0.0.254');
    expect(optsGatewayOf(plan, 'net1')).to.equal('10.0.0.254');
    expect(net1.dhcpServer).to.equal('10.0.0.1');
    expect(renderNovaNode(plan, 'net1', fips)).to.contain("'3,10.0.0.254'");
    expect(dnsmasqArgv(plan, net1)).to.include('--listen-address=10.0.0.1');
    // read with iptables: not a gateway-only node
    expect(plan.nodes.find((n) => n.name === 'upstream')!.roles).to.deep.equal(['gateway', 'network']);
    expect(renderNovaNode(plan, 'cmp1', fips)).to.contain('ip route add default via 10.0.0.254');
  });

  it('dnsmasq reads dnsmasq_config_file, which holds dhcp-option=3,<router> (seed 000); nova.conf names it', () => {
    expect(dnsmasqArgv(plan, net1)).to.include('--conf-file=/etc/nova/dnsmasq-nova.conf');
    expect(renderDnsmasqConfigFile('10.0.0.254')).to.match(/^dhcp-option=3,10\.0\.0\.254$/m);
    expect(renderDnsmasqConfigFile('10.0.0.254', false)).not.to.contain('dhcp-option');
    const node = renderNovaNode(plan, 'net1', fips);
    expect(node).to.contain('dnsmasq_config_file = /etc/nova/dnsmasq-nova.conf');
    expect(node).to.contain("cat > /etc/nova/dnsmasq-nova.conf <<'HAPROBE_EOF'\n# dnsmasq_config_file");
    // the other nova labs pass an empty --conf-file, as nova does with dnsmasq_config_file unset
    expect(dnsmasqArgv(buildNovaPlan('nova-flatdhcp'), net1)).to.include('--conf-file=');
  });

  it('the network host drops forwarding for br100 (LinuxNetL3 without a gateway) but keeps NAT and the metadata DNAT', () => {
    const rules = renderNovaIptables(plan, net1, fips);
    expect(rules).to.contain('-A nova-network-FORWARD --in-interface br100 -j DROP');
    expect(rules).not.to.contain('-A nova-network-FORWARD -i br100 -j ACCEPT');
    expect(rules).to.contain('-A nova-network-snat -s 10.0.0.0/24 -o eth0 -j SNAT --to-source 203.0.113.2');
    expect(rules).to.contain('--to-destination 203.0.113.2:8775');
  });

  it('the router gets its flat leg from the fabric data bridge, forwards, and DNATs the metadata IP to metadata_host:8775', () => {
    expect(renderHwGatewayLink(plan)).to.contain('ip link add dt-upstream netns hp-fabric type veth peer name flat0 netns hp-upstream');
    const r = renderHwGatewayRouter(plan);
    expect(r).to.contain('ip addr add 10.0.0.254/24 dev flat0');
    expect(r).to.contain('iptables -t nat -A PREROUTING -s 10.0.0.0/24 -d 169.254.169.254/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 203.0.113.2:8775');
  });

  it('facts: networks[0].hardwareGateway, hardwareGatewayNode, dnsmasqConfigFile', () => {
    const facts = buildNovaFacts(plan, fips);
    expect(facts.nova!.networks[0]!.hardwareGateway).to.equal('10.0.0.254');
    expect(facts.nova!.networks[0]!.gateway).to.equal('10.0.0.254');
    expect(facts.nova!.networks[0]!.dhcpServer).to.equal('10.0.0.1');
    expect(facts.nova!.hardwareGatewayNode).to.equal('upstream');
    expect(facts.nova!.dnsmasqConfigFile).to.equal('/etc/nova/dnsmasq-nova.conf');
    expect(buildNovaFacts(buildNovaPlan('nova-flatdhcp'), {}).nova!.hardwareGatewayNode).to.equal(undefined);
  });
});
