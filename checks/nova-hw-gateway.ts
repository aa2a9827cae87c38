import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import { evidenceFor, notCollectedReason, partialReason, wasNamespaceCollected } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { findNamespace, findNode } from './lib/lookup';
import { inChain, METADATA_IP, natRules, ruleDestination, ruleTarget } from './lib/nat';
import { sameHost } from './lib/net';
import { argValue, dnsmasqFor, metadataHostOf, metadataPortOf, NOVA_CODE, NOVA_GROUND_TRUTH, NOVA_SEED, novaDuties, novaOf, optsFileFor } from './lib/nova';
import { forwardsForBridge, handedOutRouter, NOVA_HW_GATEWAY_SEED } from './lib/nova-hw-gateway';

/**
 * nova-network with a hardware gateway (seed 000 "To configure for hardware gateway", seed 003
 * "Option 3: HW Gateway", ground-truth §5b): dnsmasq_config_file holds `dhcp-option=3,<router>`
 * so the instances get the router, not the network host, as gateway (from Juno on the opts file's
 * `3,<networks.gateway>` wins over it: networks.gateway must be the router, seen on the lab); the network host keeps
 * DHCP and NAT but does not route the fixed range; the router forwards 169.254.169.254:80 to
 * metadata_host:8775 ("The metadata IP forwarding rules will need to be set on the hardware
 * gateway instead of the nova-network host"). Not available with VlanManager (seed 000's warning).
 */
export const check: Check = {
  id: 'nova-hw-gateway',
  title: 'nova-network hardware gateway: dnsmasq hands out the router, the network host does not route, the router forwards metadata',
  description:
    'For each network with a hardware gateway (facts nova.networks[].hardwareGateway): what the dnsmasq of its network host hands ' +
    'out as option 3 (its opts file, which wins, else dnsmasq_config_file via --conf-file, else its own address) is the router; the network host does not forward for the ' +
    'bridge (a lost option would silently make it the gateway again); the router (facts nova.hardwareGatewayNode) holds the ' +
    'address and DNATs 169.254.169.254:80 to metadata_host:8775. Refused with VlanManager.',
  severity: 'critical',
  references: [NOVA_HW_GATEWAY_SEED, NOVA_SEED, NOVA_GROUND_TRUTH, NOVA_CODE],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    const nova = novaOf(ctx);
    if (!nova) return out.done();
    const nets = nova.networks.filter((n) => n.hardwareGateway !== undefined);
    if (nets.length === 0) {
      out.skip(out.look({}), { message: 'the facts name no hardware gateway (nova.networks[].hardwareGateway): nothing to judge', evidence: [] });
      return out.done();
    }
    if (nova.networkManager === 'vlan') {
      for (const net of nets) {
        // the network host's nova.conf (network_manager) is the evidence, when it was read
        const host = net.host ?? nova.networkHosts[0];
        out.fail(out.look({ node: host, device: net.bridge }), {
          message: `network ${net.label} declares hardware gateway ${net.hardwareGateway} under VlanManager: the option is one gateway for all instances, VLAN mode needs one per network (OpenStack admin guide, nova-network HA options)`,
          expected: 'FlatDHCPManager (or no hardware gateway)', actual: 'network_manager VlanManager',
          evidence: evidenceFor(host ? findNode(ctx.snapshot, host) : undefined, ['nova-conf', 'versions']),
        });
      }
      return out.done();
    }
    for (const duty of novaDuties(nova).filter((d) => d.network.hardwareGateway !== undefined)) {
      const hw = duty.network.hardwareGateway!;
      const bridge = duty.network.bridge;
      const node = findNode(ctx.snapshot, duty.host);
      const subject = out.look({ node: duty.host, device: bridge });
      if (!node) {
        out.skip(subject, { message: `${duty.host} (network host of ${duty.network.label}) was not read`, evidence: [] });
        continue;
      }
      // 1. what dnsmasq hands out: its --conf-file's option 3, else the opts file's, else its own address
      const procs = node.nova?.dnsmasq === undefined ? undefined : dnsmasqFor(node, bridge, duty.dhcpServer);
      if (procs === undefined || node.nova?.dnsmasqConfFiles === undefined) {
        out.skip(subject, { message: `dnsmasq of ${duty.host} or its --conf-file not collected (no nova-dnsmasq / nova-dnsmasq-conf section)`, evidence: evidenceFor(node, ['versions']) });
      } else if (procs.length === 0) {
        // nova-dhcp-server fails it: no second finding for the same cause
        out.skip(subject, { message: `no dnsmasq for ${bridge} on ${duty.host}: nothing hands out a gateway (nova-dhcp-server reports it)`, evidence: evidenceFor(node, ['nova-dnsmasq']) });
      } else {
        const confPath = argValue(procs[0]!.argv, '--conf-file') ?? '';
        const conf = node.nova.dnsmasqConfFiles.find((f) => f.path === confPath);
        const opts = optsFileFor(node, bridge, argValue(procs[0]!.argv, '--dhcp-optsfile'));
        const got = handedOutRouter(conf, opts, argValue(procs[0]!.argv, '--listen-address') ?? duty.dhcpServer);
        if (got.address !== hw) {
          const hostAddr = nova.networkHosts.includes(duty.host) && got.address === duty.dhcpServer;
          out.fail(subject, {
            message: `dnsmasq of ${bridge} on ${duty.host} hands out ${got.address ?? 'no gateway'} (${got.from}), not the hardware gateway ${hw}` +
              (got.overridden !== undefined ? ` (the opts file's option 3 wins over dnsmasq_config_file's dhcp-option=3,${got.overridden}: from Juno on set networks.gateway to the router)` : '') +
              (hostAddr ? ': the instances route through the network host again, the single point of failure the hardware gateway removes' : ''),
            expected: `option 3 = ${hw}: \`3,${hw}\` in the opts file (networks.gateway) and/or dhcp-option=3,${hw} in dnsmasq_config_file (${confPath || 'no --conf-file given'})`,
            actual: [`--conf-file=${confPath}`, conf ? conf.lines.join(' | ') || '(no dhcp-option line)' : confPath ? '(file not found)' : '', opts ? `${opts.path}: ${opts.lines.join(' | ')}` : ''].filter(Boolean).join('; '),
            evidence: evidenceFor(node, ['nova-dnsmasq', 'nova-dnsmasq-conf', 'nova-opts']),
          });
        }
      }
      // 2. the network host must not route the fixed range (it NATs and serves DHCP, the router routes)
      const root = findNamespace(node, '');
      if (!wasNamespaceCollected(node, '', 'iptables') || !root?.iptables) {
        out.skip(subject, { message: notCollectedReason(node, 'iptables', ''), evidence: evidenceFor(node, ['versions']) });
      } else {
        const fwd = forwardsForBridge(root.iptables, bridge, duty.network.cidr);
        if (fwd.forwards) {
          const partial = partialReason(node, 'iptables:');
          out.warn(subject, {
            message: `${duty.host} still forwards for ${bridge} (${fwd.why})` + (partial ? `; ${partial}` : '') +
              ': should dnsmasq hand it out again (option lost), it silently becomes the gateway and the single point of failure again',
            expected: `FORWARD -i/-o ${bridge} -j DROP on the network host (the router routes ${duty.network.cidr})`,
            actual: fwd.why,
            evidence: evidenceFor(node, ['iptables:']),
          });
        }
      }
      // 3. the router: holds the address, forwards metadata to metadata_host:8775
      const mh = metadataHostOf(nova, duty.host);
      const port = metadataPortOf(nova);
      const routerName = nova.hardwareGatewayNode;
      if (routerName === undefined) {
        out.skip(out.look({ device: bridge }), {
          message: `the hardware gateway ${hw} is not a node haprobe reads (facts nova.hardwareGatewayNode): check by hand that it DNATs ${METADATA_IP}:80 to ${mh ?? '<metadata_host>'}:${port}`,
          evidence: evidenceFor(node, ['nova-dnsmasq-conf', 'nova-opts']),
        });
        continue;
      }
      const router = findNode(ctx.snapshot, routerName);
      const rsub = out.look({ node: routerName });
      if (!router) {
        out.skip(rsub, { message: `hardware gateway ${routerName} was not read`, evidence: [] });
        continue;
      }
      const rroot = findNamespace(router, '');
      if (wasNamespaceCollected(router, '', 'addr') && !(rroot?.devices ?? []).some((d) => d.addresses.some((a) => a.address === hw))) {
        out.fail(rsub, {
          message: `${routerName} (the hardware gateway) does not hold ${hw}: the instances' gateway answers nowhere`,
          expected: `${hw} on ${routerName}'s leg on the flat network`, actual: 'not bound', evidence: evidenceFor(router, ['addr:']),
        });
      }
      if (!wasNamespaceCollected(router, '', 'iptables') || !rroot?.iptables) {
        // a node with only the `gateway` role is read root-only, without iptables (collect.ts)
        const hint = router.roles.length > 0 && router.roles.every((r) => r === 'gateway') ? ` (a node with only the gateway role is read without iptables: give ${routerName} the network role in the inventory)` : '';
        out.skip(rsub, { message: notCollectedReason(router, 'iptables', '') + hint, evidence: evidenceFor(router, ['versions']) });
        continue;
      }
      const meta = natRules(rroot.iptables).filter((r) => inChain(r, 'PREROUTING') && sameHost(ruleDestination(r), METADATA_IP) && /--dport 80(\s|$)/.test(r.spec));
      const to = (spec: string): string | undefined => /--to-destination (\S+)/.exec(spec)?.[1];
      const ok = meta.some((r) => ruleTarget(r) === 'DNAT' && (mh === undefined ? to(r.spec)?.endsWith(`:${port}`) === true : to(r.spec) === `${mh}:${port}`));
      if (!ok) {
        out.fail(rsub, {
          message: meta.length === 0
            ? `no metadata forward on the hardware gateway ${routerName}: instances of ${duty.network.label} cannot reach ${METADATA_IP} (the hardware gateway must forward it to metadata_host:${port})`
            : `the metadata forward on ${routerName} does not go to ${mh ?? '<metadata_host>'}:${port}`,
          expected: `PREROUTING -d ${METADATA_IP}/32 -p tcp --dport 80 -j DNAT --to-destination ${mh ?? '<metadata_host>'}:${port}`,
          actual: meta.length ? meta.map((r) => `-A ${r.chain} ${r.spec}`).join('; ') : 'absent',
          evidence: evidenceFor(router, ['iptables:']),
        });
      }
    }
    return out.done();
  },
};
