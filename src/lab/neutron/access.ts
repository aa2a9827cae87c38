import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { openNeutronApi, type NeutronApi } from './api';
import { PASSWORD, type NeutronLabPaths } from './names';
import { KEYSTONE_URL } from './render-config';
import type { NeutronTopology } from './topology';

/**
 * How the built lab is reached, the same for the ML2/OVS and ML2/OVN labs: an API session as
 * admin, and the files `up` writes for haprobe (inventory, known_hosts, clouds.yaml).
 */

export function openLabApi(): Promise<NeutronApi> {
  return openNeutronApi({ authUrl: KEYSTONE_URL, username: 'admin', password: PASSWORD, projectName: 'admin' });
}

export function renderNeutronInventory(topo: NeutronTopology, p: NeutronLabPaths): string {
  return stringify({
    knownHosts: p.knownHosts,
    nodes: topo.nodes.map((n) => ({ name: n.name, address: n.mgmtIp, port: 22, user: 'root', identityFile: p.key, roles: n.roles })),
  });
}

/** clouds.yaml beside the inventory: `--cloud haprobe-lab` (OS_CLIENT_CONFIG_FILE=<it>) reaches the lab's Keystone */
export function renderCloudsYaml(): string {
  return stringify({
    clouds: {
      'haprobe-lab': {
        auth: { auth_url: KEYSTONE_URL, username: 'admin', password: PASSWORD, project_name: 'admin', user_domain_name: 'Default', project_domain_name: 'Default' },
        region_name: 'RegionOne', identity_api_version: 3, interface: 'public',
      },
    },
  });
}

export function knownHostsOf(topo: NeutronTopology, p: NeutronLabPaths): string {
  return topo.nodes.map((n) => {
    const pub = fs.readFileSync(path.join(p.nodeDir(n.name), 'ssh_host_ed25519_key.pub'), 'utf8').trim().split(/\s+/);
    return `${n.mgmtIp} ${pub[0]} ${pub[1]}`;
  }).join('\n') + '\n';
}
