import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import { evidenceFor, notCollectedReason, wasNamespaceCollected } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { findDevice, findNamespace, findNode } from './lib/lookup';
import { ipv4Addresses } from './lib/net';
import { argValue, dnsmasqFor, gatewayOptions, NOVA_CODE, NOVA_GROUND_TRUTH, NOVA_SEED, novaDuties, novaOf, optsFileFor } from './lib/nova';

/**
 * Per nova-network host and network (every compute with multi_host): the bridge carries the
 * dhcp_server address FIRST (initialize_gateway_device: "The ip for dnsmasq has to be the first
 * address on the bridge"), one dnsmasq serves it (restart_dhcp: --listen-address=<dhcp_server>,
 * --dhcp-optsfile=<networks_path>/nova-<bridge>.opts), and its opts file hands out `3,<gateway>`
 * (get_dhcp_opts: the host's own dhcp_server with multi_host).
 */
export const check: Check = {
  id: 'nova-dhcp-server',
  title: 'nova-network: dhcp_server first on the bridge, its dnsmasq running, gateway option 3 right',
  description:
    'For each host that serves a nova network (the network host, or every compute with multi_host): bridge with the dhcp_server ' +
    'address first, a dnsmasq listening on it with the nova-<bridge>.opts file, and option 3 = the network gateway (multi_host: the ' +
    "host's own dhcp_server). A compute missing any of these is named.",
  severity: 'critical',
  references: [NOVA_GROUND_TRUTH, NOVA_CODE, NOVA_SEED],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    const nova = novaOf(ctx);
    if (!nova) return out.done();
    const duties = novaDuties(nova);
    // multi_host: every compute with instances on the network must serve it itself (seed 000)
    for (const net of nova.networks.filter((n) => n.multiHost)) {
      const hosts = new Set((nova.fixedIps ?? []).filter((f) => f.network === net.label).map((f) => f.host));
      for (const host of hosts) {
        if (duties.some((d) => d.host === host && d.network === net)) continue;
        const node = findNode(ctx.snapshot, host);
        out.fail(out.look({ node: host, device: net.bridge }), {
          message: `${host} runs instances of multi_host network ${net.label} but has no dhcp_server of its own (nova-network not running there?)`,
          expected: `a dhcp_server fixed IP reserved for ${host} on ${net.label}, nova-network on ${host}`,
          actual: `no dhcpServers entry for ${host}`,
          evidence: evidenceFor(node, ['addr:', 'versions']),
        });
      }
    }
    for (const duty of duties) {
      const bridge = duty.network.bridge;
      const node = findNode(ctx.snapshot, duty.host);
      const subject = out.look({ node: duty.host, device: bridge });
      if (!node) {
        out.skip(subject, { message: `${duty.host} (nova-network host of ${duty.network.label}) was not read`, evidence: [] });
        continue;
      }
      const evAddr = evidenceFor(node, ['addr:']);
      // 1. the bridge and its first address
      if (!wasNamespaceCollected(node, '', 'addr')) {
        out.skip(subject, { message: notCollectedReason(node, 'addr', ''), evidence: evidenceFor(node, ['versions']) });
      } else {
        const dev = findDevice(findNamespace(node, ''), bridge);
        const v4 = ipv4Addresses(dev).map((a) => a.address);
        if (!dev) {
          out.fail(subject, { message: `bridge ${bridge} missing on ${duty.host}: instances of ${duty.network.label} have no DHCP or gateway there`, expected: `${bridge} with ${duty.dhcpServer} first`, actual: 'no such device', evidence: evAddr });
        } else if (v4[0] !== duty.dhcpServer) {
          out.fail(subject, {
            message: v4.includes(duty.dhcpServer)
              ? `${duty.dhcpServer} is on ${bridge} of ${duty.host} but not first (linux_net.initialize_gateway_device: dnsmasq's address has to be the first)`
              : `dhcp_server ${duty.dhcpServer} missing on ${bridge} of ${duty.host}`,
            expected: `${duty.dhcpServer}/${duty.network.cidr.split('/')[1]} first on ${bridge}`,
            actual: v4.length ? v4.join(', ') : 'no IPv4 address',
            evidence: evAddr,
          });
        }
      }
      // 2. dnsmasq
      if (node.nova?.dnsmasq === undefined) {
        out.skip(subject, { message: `dnsmasq processes of ${duty.host} not collected (no nova section)`, evidence: evidenceFor(node, ['versions']) });
        continue;
      }
      const evDns = evidenceFor(node, ['nova-dnsmasq']);
      const procs = dnsmasqFor(node, bridge, duty.dhcpServer);
      const listening = procs.filter((p) => argValue(p.argv, '--listen-address') === duty.dhcpServer);
      if (procs.length === 0) {
        out.fail(subject, { message: `no dnsmasq for ${bridge} on ${duty.host}: its instances get no DHCP lease renewal and no gateway`, expected: `dnsmasq … --listen-address=${duty.dhcpServer} --dhcp-optsfile=…/nova-${bridge}.opts`, actual: 'no such process', evidence: evDns });
      } else if (listening.length === 0) {
        out.fail(subject, { message: `dnsmasq for ${bridge} on ${duty.host} does not listen on dhcp_server ${duty.dhcpServer}`, expected: `--listen-address=${duty.dhcpServer}`, actual: procs.map((p) => `pid ${p.pid} --listen-address=${argValue(p.argv, '--listen-address') ?? '(none)'}`).join('; '), evidence: evDns });
      } else if (listening.length > 1) {
        out.warn(subject, { message: `${listening.length} dnsmasq processes listen on ${duty.dhcpServer} on ${duty.host}`, expected: 'one per bridge', actual: listening.map((p) => `pid ${p.pid}`).join(', '), evidence: evDns });
      }
      // 3. the options file: gateway option 3
      if (node.nova.optsFiles === undefined) continue;
      const evOpts = evidenceFor(node, ['nova-opts']);
      const file = optsFileFor(node, bridge, procs[0] ? argValue(procs[0].argv, '--dhcp-optsfile') : undefined);
      if (!file) {
        out.fail(subject, { message: `no nova-${bridge}.opts on ${duty.host}`, expected: `3,${duty.gateway ?? ''}`, actual: 'no file', evidence: evOpts });
        continue;
      }
      const opts = gatewayOptions(file);
      const want = duty.gateway;
      const wrong = opts.filter((o) => (o.value === undefined ? !o.tagged : want !== undefined && o.value !== want));
      if (opts.length === 0 || wrong.length > 0) {
        out.fail(subject, {
          message: opts.length === 0
            ? `${file.path} on ${duty.host} hands out no gateway (option 3)`
            : `${file.path} on ${duty.host} hands out gateway ${wrong.map((o) => o.value ?? '(none)').join(', ')}` +
              (duty.network.multiHost ? ` (multi_host: instances must get their host's own dhcp_server ${want})` : ''),
          expected: `3,${want ?? '<gateway>'}`,
          actual: file.lines.join(' | ') || 'empty',
          evidence: evOpts,
        });
      }
    }
    return out.done();
  },
};
