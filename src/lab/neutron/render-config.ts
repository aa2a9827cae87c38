import type { HaMode } from '../../model/facts';
import { NLAB_NET, PASSWORD, type NeutronLabPaths } from './names';
import type { NeutronNode } from './topology';

/**
 * Configuration files of the real engine (pure text): control plane on the host side of
 * hq-mgmt, agents inside each node (which sees its own state dir bound on /var/lib/neutron and
 * its own etc dir on /etc/neutron).
 */
const H = NLAB_NET.mgmtHost;
export const KEYSTONE_URL = `http://${H}:${NLAB_NET.keystonePort}/v3`;
export const NEUTRON_URL = `http://${H}:${NLAB_NET.neutronPort}`;
export const TRANSPORT_URL = `rabbit://haprobe:${PASSWORD}@${H}:${NLAB_NET.rabbitPort}/`;
export const DB_NAMES = { keystone: 'keystone_hpn', neutron: 'neutron_hpn' } as const;

export function dbUrl(user: 'keystone' | 'neutron'): string {
  return `mysql+pymysql://${user}:${PASSWORD}@127.0.0.1:${NLAB_NET.mysqlPort}/${DB_NAMES[user]}`;
}

export function ini(sections: Record<string, Record<string, string | number | boolean>>): string {
  return Object.entries(sections)
    .map(([s, kv]) => `[${s}]\n${Object.entries(kv).map(([k, v]) => `${k} = ${String(v)}`).join('\n')}\n`)
    .join('\n');
}

/** SQL run once as root over the socket: the lab's two databases and users (grants on 127.0.0.1: --skip-name-resolve) */
export function renderDbSql(): string {
  const out: string[] = [];
  for (const [user, db] of Object.entries(DB_NAMES)) {
    out.push(
      `CREATE DATABASE IF NOT EXISTS ${db};`,
      `CREATE USER IF NOT EXISTS '${user}'@'127.0.0.1' IDENTIFIED BY '${PASSWORD}';`,
      `GRANT ALL PRIVILEGES ON ${db}.* TO '${user}'@'127.0.0.1';`,
    );
  }
  return out.join('\n') + '\nFLUSH PRIVILEGES;\n';
}

export function renderKeystoneConf(p: NeutronLabPaths): string {
  return ini({
    DEFAULT: { log_file: `${p.logDir}/keystone.log`, use_stderr: false },
    database: { connection: dbUrl('keystone') },
    token: { provider: 'fernet' },
    fernet_tokens: { key_repository: `${p.keystoneEtc}/fernet-keys` },
    credential: { key_repository: `${p.keystoneEtc}/credential-keys` },
    oslo_policy: { enforce_new_defaults: false, enforce_scope: false },
  });
}

/** uwsgi ini after Debian's keystone-uwsgi.ini: rem-header = Content-Length must stay (PUTs without a body fail otherwise) */
export function renderKeystoneUwsgi(p: NeutronLabPaths): string {
  return ini({
    uwsgi: {
      'http-socket': `${H}:${NLAB_NET.keystonePort}`,
      'buffer-size': 65535,
      'rem-header': 'Content-Length',
      master: true,
      'lazy-apps': true,
      'die-on-term': true,
      'enable-threads': true,
      processes: 1,
      threads: 4,
      plugins: 'python3',
      'wsgi-file': '/usr/bin/keystone-wsgi-public',
      env: `OS_KEYSTONE_CONFIG_DIR=${p.keystoneEtc}`,
      logto: `${p.logDir}/keystone-uwsgi.log`,
      chdir: p.keystoneEtc,
    },
  });
}

export function authtoken(): Record<string, string> {
  return {
    www_authenticate_uri: KEYSTONE_URL.replace(/\/v3$/, ''), auth_url: KEYSTONE_URL.replace(/\/v3$/, ''), auth_type: 'password',
    project_domain_name: 'Default', user_domain_name: 'Default', project_name: 'service', username: 'neutron', password: PASSWORD,
  };
}

export function renderServerConf(p: NeutronLabPaths, mode: HaMode): string {
  return ini({
    DEFAULT: {
      core_plugin: 'ml2', service_plugins: 'router', allow_overlapping_ips: true, auth_strategy: 'keystone',
      transport_url: TRANSPORT_URL, bind_host: H, bind_port: NLAB_NET.neutronPort,
      api_workers: 1, rpc_workers: 1, rpc_state_report_workers: 1,
      state_path: `${p.control}/neutron-state`, api_paste_config: '/etc/neutron/api-paste.ini',
      log_file: `${p.logDir}/neutron-server.log`, use_stderr: false,
      router_distributed: mode === 'dvr' || mode === 'dvr-ha', l3_ha: mode === 'ha' || mode === 'dvr-ha',
      max_l3_agents_per_router: 2, dhcp_agent_notification: false,
      notify_nova_on_port_status_changes: false, notify_nova_on_port_data_changes: false,
    },
    database: { connection: dbUrl('neutron') },
    keystone_authtoken: authtoken(),
    oslo_concurrency: { lock_path: `${p.control}/neutron-state/lock` },
    oslo_messaging_notifications: { driver: 'noop' },
    oslo_policy: { enforce_new_defaults: false, enforce_scope: false },
  });
}

export function renderMl2Conf(): string {
  return ini({
    ml2: { type_drivers: 'flat,vxlan', tenant_network_types: 'vxlan', mechanism_drivers: 'openvswitch,l2population', extension_drivers: 'port_security' },
    ml2_type_flat: { flat_networks: 'extnet' },
    ml2_type_vxlan: { vni_ranges: '1:1000' },
  });
}

/** /etc/neutron/neutron.conf of a node: its own host=, state on /var/lib/neutron (bound to the node dir) */
export function renderAgentNeutronConf(node: NeutronNode): string {
  return ini({
    DEFAULT: {
      host: node.name, state_path: '/var/lib/neutron', transport_url: TRANSPORT_URL,
      log_dir: '/var/log/neutron', use_stderr: false, core_plugin: 'ml2',
      // DEBUG: the HA state reports (ha.py "Enqueueing router's … state change", "Current transition state") are only logged at debug
      debug: true,
    },
    // root already: no sudo/rootwrap (an empty root_helper runs commands as they are; privsep-helper directly)
    agent: { root_helper: '', report_interval: 10 },
    ovs: { ovsdb_connection: 'unix:/run/openvswitch/db.sock' },
    oslo_concurrency: { lock_path: '/var/lib/neutron/lock' },
  });
}

export function renderOvsAgentIni(node: NeutronNode, mode: HaMode): string {
  const dvr = mode === 'dvr' || mode === 'dvr-ha';
  return ini({
    ovs: {
      bridge_mappings: 'extnet:br-ex', local_ip: node.tunnelIp ?? '', datapath_type: 'netdev',
      ovsdb_connection: 'unix:/run/openvswitch/db.sock', of_listen_address: '127.0.0.1',
    },
    // DVR needs l2_population=True (the OVS agent exits otherwise, issue 16)
    agent: { tunnel_types: 'vxlan', l2_population: true, enable_distributed_routing: dvr },
    securitygroup: { firewall_driver: 'noop' },
  });
}

export function renderL3AgentIni(node: NeutronNode): string {
  return ini({
    DEFAULT: { interface_driver: 'openvswitch', agent_mode: node.agentMode ?? 'legacy' },
    ovs: { integration_bridge: 'br-int' },
  });
}
