import { quoteArgv } from '../../transport/quote-shell';
import { NLAB_NET, PASSWORD, type NeutronLabPaths } from './names';
import { authtoken, dbUrl, ini, TRANSPORT_URL } from './render-config';
import { neutronSshdCommand } from './render-host';
import type { NeutronNode } from './topology';
import { OVN_CENTRAL, OVN_NB, OVN_PHYSNET, OVN_SB, type OvnChassis } from './ovn-topology';

/**
 * Configuration and node scripts of the ML2/OVN lab (issue 11, pure text). Paths are OVN's usual
 * ones inside each node (/run/ovn is the node's own tmpfs), so `ovn-nbctl`, `ovn-sbctl` and
 * `ovs-appctl -t ovn-controller` work over SSH without options, as on a cloud.
 */
const H = NLAB_NET.mgmtHost;

/** neutron.conf of neutron-server with the OVN mechanism driver and L3 plugin (Zed: in-tree) */
export function renderOvnServerConf(p: NeutronLabPaths): string {
  return ini({
    DEFAULT: {
      core_plugin: 'ml2', service_plugins: 'ovn-router', allow_overlapping_ips: true, auth_strategy: 'keystone',
      transport_url: TRANSPORT_URL, bind_host: H, bind_port: NLAB_NET.neutronPort,
      api_workers: 1, rpc_workers: 1, rpc_state_report_workers: 1,
      state_path: `${p.control}/neutron-state`, api_paste_config: '/etc/neutron/api-paste.ini',
      log_file: `${p.logDir}/neutron-server.log`, use_stderr: false, dhcp_agent_notification: false,
      notify_nova_on_port_status_changes: false, notify_nova_on_port_data_changes: false,
    },
    database: { connection: dbUrl('neutron') },
    keystone_authtoken: authtoken(),
    oslo_concurrency: { lock_path: `${p.control}/neutron-state/lock` },
    oslo_messaging_notifications: { driver: 'noop' },
    oslo_policy: { enforce_new_defaults: false, enforce_scope: false },
  });
}

/** ml2_conf.ini: geneve tenant networks, flat provider physnet, [ovn] connections and the FIP mode */
export function renderOvnMl2Conf(distributedFip: boolean): string {
  return ini({
    ml2: { type_drivers: 'flat,geneve', tenant_network_types: 'geneve', mechanism_drivers: 'ovn', extension_drivers: 'port_security', overlay_ip_version: 4 },
    ml2_type_flat: { flat_networks: OVN_PHYSNET },
    ml2_type_geneve: { vni_ranges: '1:1000', max_header_size: 38 },
    securitygroup: { enable_security_group: true },
    ovn: {
      ovn_nb_connection: OVN_NB, ovn_sb_connection: OVN_SB, ovn_l3_scheduler: 'leastloaded',
      enable_distributed_floating_ip: distributedFip, ovn_metadata_enabled: true, neutron_sync_mode: 'off',
    },
  });
}

/** /etc/neutron/neutron_ovn_metadata_agent.ini of a compute */
export function renderOvnMetadataIni(): string {
  return ini({
    DEFAULT: { state_path: '/var/lib/neutron', nova_metadata_host: H, metadata_proxy_shared_secret: PASSWORD, metadata_workers: 1 },
    agent: { root_helper: '' },
    ovs: { ovsdb_connection: 'unix:/run/openvswitch/db.sock' },
    ovn: { ovn_sb_connection: OVN_SB },
  });
}

/** central node: NB and SB ovsdb-servers (unix socket + TCP on the management address), ovn-northd */
export function renderOvnCentralInfra(node: NeutronNode, dir: string, authorizedKeys: string): string {
  const db = (name: 'nb' | 'sb', port: number): string[] => [
    quoteArgv(['ovsdb-tool', 'create', `${dir}/ovn/ovn${name}_db.db`, `/usr/share/ovn/ovn-${name}.ovsschema`]),
    quoteArgv(['ovsdb-server', `--remote=punix:/run/ovn/ovn${name}_db.sock`, `--remote=ptcp:${port}:${OVN_CENTRAL.mgmtIp}`,
      `--pidfile=/run/ovn/ovn${name}_db.pid`, `--unixctl=/run/ovn/ovn${name}_db.ctl`, '--detach', `--log-file=${dir}/log/ovsdb-server-${name}.log`,
      `${dir}/ovn/ovn${name}_db.db`]),
  ];
  return [
    'set -e', 'ip link set lo up', `ip addr add ${node.mgmtIp}/${NLAB_NET.mgmtPrefix} dev mgmt0`, 'ip link set mgmt0 up',
    'mkdir -p /run/ovn', `mkdir -p ${quoteArgv([`${dir}/ovn`])}`,
    ...db('nb', OVN_CENTRAL.nbPort), ...db('sb', OVN_CENTRAL.sbPort),
    'ovn-nbctl --no-wait init', 'ovn-sbctl init',
    quoteArgv(['ovn-northd', '--ovnnb-db=unix:/run/ovn/ovnnb_db.sock', '--ovnsb-db=unix:/run/ovn/ovnsb_db.sock',
      '--pidfile=/run/ovn/ovn-northd.pid', '--detach', `--log-file=${dir}/log/ovn-northd.log`]),
    neutronSshdCommand(node, dir, authorizedKeys),
  ].join('\n') + '\n';
}

/**
 * A chassis: its own OVS (netdev datapath, no kernel module), br-ex on the provider link
 * (ovn-bridge-mappings extnet:br-ex, where ovn-controller plugs the localnet patch ports),
 * br-phy on the underlay link carrying ovn-encap-ip (userspace Geneve needs the endpoint on a
 * netdev bridge, like the engine's VXLAN), then ovn-controller, which creates br-int itself.
 * system-id = hostname = the node name (neutron binds ports to Chassis.hostname).
 */
export function renderOvnChassisInfra(node: OvnChassis, dir: string, authorizedKeys: string): string {
  const sock = '/run/openvswitch/db.sock';
  const ids = [
    `system-id=${node.name}`, `hostname=${node.name}`, `ovn-remote=${OVN_SB}`, 'ovn-encap-type=geneve', `ovn-encap-ip=${node.tunnelIp ?? ''}`,
    `ovn-bridge-mappings=${OVN_PHYSNET}:br-ex`, 'ovn-bridge-datapath-type=netdev', ...(node.gateway ? ['ovn-cms-options=enable-chassis-as-gw'] : []),
  ];
  return [
    'set -e', 'ip link set lo up', `ip addr add ${node.mgmtIp}/${NLAB_NET.mgmtPrefix} dev mgmt0`, 'ip link set mgmt0 up', 'mkdir -p /run/ovn',
    quoteArgv(['ovsdb-tool', 'create', `${dir}/ovs/conf.db`, '/usr/share/openvswitch/vswitch.ovsschema']),
    quoteArgv(['ovsdb-server', `--remote=punix:${sock}`, '--pidfile=/run/openvswitch/ovsdb-server.pid', '--detach', `--log-file=${dir}/log/ovsdb-server.log`, `${dir}/ovs/conf.db`]),
    'ovs-vsctl --no-wait init',
    `${quoteArgv(['ovs-vswitchd', `unix:${sock}`, '--pidfile=/run/openvswitch/ovs-vswitchd.pid', '--detach', `--log-file=${dir}/log/ovs-vswitchd.log`])} 2>/dev/null`,
    'ovs-vsctl -- add-br br-ex -- set bridge br-ex datapath_type=netdev -- add-port br-ex ex-up' +
      ' -- add-br br-phy -- set bridge br-phy datapath_type=netdev -- add-port br-phy dt-up',
    'ip link set ex-up up', 'ip link set dt-up up', 'ip link set br-phy up', 'ip link set br-ex up',
    `ip addr add ${node.tunnelIp ?? ''}/24 dev br-phy`,
    quoteArgv(['ovs-vsctl', 'set', 'Open_vSwitch', '.', ...ids.map((kv) => `external_ids:${kv}`)]),
    quoteArgv(['ovn-controller', `unix:${sock}`, '--pidfile=/run/ovn/ovn-controller.pid', '--detach', `--log-file=${dir}/log/ovn-controller.log`]),
    neutronSshdCommand(node, dir, authorizedKeys),
  ].join('\n') + '\n';
}
