import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Names and addresses of the real-Neutron lab engine (issue 16). They are disjoint from the
 * hand-built engine's (hp-*, 198.18.0.0/24, /var/tmp/haprobe-lab, /run/haprobe-lab.owner) so both
 * labs can exist on one machine at the same time.
 */
export const NEUTRON_LAB_DIR = '/var/tmp/haprobe-neutron-lab';
export const NEUTRON_OWNER_FILE = '/run/haprobe-neutron-lab.owner';
/** every host-side name starts with this (namespaces, the management bridge, its veths) */
export const NPREFIX = 'hq-';
export const NMGMT_BRIDGE = 'hq-mgmt';
export const NFABRIC_NS = 'hq-fabric';
export const NHOLDER_MARK = 'haprobe-nlab-init';

export const NLAB_NET = {
  /** control plane (MariaDB on 127.0.0.1, RabbitMQ/Keystone/neutron-server on this address) */
  mgmtHost: '198.18.8.1',
  mgmtPrefix: 24,
  upstreamMgmt: '198.18.8.2',
  /** tunnel underlay, only inside node namespaces (br-phy of each node) */
  tunnelPrefix: '198.18.9.',
  extCidr: '203.0.113.0/24',
  extGw: '203.0.113.1',
  extPoolStart: '203.0.113.10',
  extPoolEnd: '203.0.113.99',
  tenantCidr: '10.0.0.0/24',
  tenantGw: '10.0.0.1',
  mysqlPort: 3307,
  rabbitPort: 5673,
  keystonePort: 5001,
  neutronPort: 9697,
} as const;

export const PASSWORD = 'haprobe-lab';

export function nodeNetnsOf(node: string): string {
  return `${NPREFIX}${node}`;
}
export function mgmtLinkOf(node: string): string {
  return `hqm-${node}`;
}

export interface NeutronLabPaths {
  stateDir: string;
  labJson: string;
  inventory: string;
  facts: string;
  cloudsYaml: string;
  knownHosts: string;
  key: string;
  authorizedKeys: string;
  control: string;
  mysqlData: string;
  mysqlSock: string;
  rabbitDir: string;
  keystoneEtc: string;
  neutronEtc: string;
  logDir: string;
  nodeDir(node: string): string;
}

export function neutronLabPaths(stateDir: string): NeutronLabPaths {
  const control = path.join(stateDir, 'control');
  return {
    stateDir,
    labJson: path.join(stateDir, 'lab.json'),
    inventory: path.join(stateDir, 'inventory.yaml'),
    facts: path.join(stateDir, 'facts.json'),
    cloudsYaml: path.join(stateDir, 'clouds.yaml'),
    knownHosts: path.join(stateDir, 'known_hosts'),
    key: path.join(stateDir, 'id_ed25519'),
    authorizedKeys: path.join(stateDir, 'authorized_keys'),
    control,
    mysqlData: path.join(control, 'mysql'),
    mysqlSock: path.join(control, 'mysqld.sock'),
    rabbitDir: path.join(control, 'rabbitmq'),
    keystoneEtc: path.join(control, 'keystone'),
    neutronEtc: path.join(control, 'neutron'),
    logDir: path.join(control, 'log'),
    nodeDir: (node: string) => path.join(stateDir, 'nodes', node),
  };
}

/** --state-dir, else $HAPROBE_NEUTRON_LAB_DIR, else /var/tmp/haprobe-neutron-lab */
export function resolveNeutronStateDir(flag?: string): string {
  return path.resolve(flag ?? process.env.HAPROBE_NEUTRON_LAB_DIR ?? NEUTRON_LAB_DIR);
}

/**
 * The state dir of the real-engine lab that is UP, for the commands that act on it (down, fault,
 * failover): --state-dir, else $HAPROBE_NEUTRON_LAB_DIR, else the dir the owner file names when
 * that dir exists (a lab brought up with another --state-dir, e.g. by a test suite, and left by a
 * killed run: `lab down --engine neutron` without flags then stops its control plane too, where it
 * used to look only in the default dir and stop the nodes found by the hq- prefix), else the default.
 */
export function upNeutronStateDir(flag?: string, ownerFile = NEUTRON_OWNER_FILE): string {
  if (flag !== undefined || process.env.HAPROBE_NEUTRON_LAB_DIR !== undefined) return resolveNeutronStateDir(flag);
  const owner = neutronOwner(ownerFile);
  return owner !== '' && path.isAbsolute(owner) && fs.existsSync(owner) ? owner : resolveNeutronStateDir();
}

/** The state dir the owner file names, '' when there is none (no real-engine lab claimed the machine). */
export function neutronOwner(ownerFile = NEUTRON_OWNER_FILE): string {
  try {
    return fs.readFileSync(ownerFile, 'utf8').trim();
  } catch {
    return '';
  }
}

/**
 * The state dir of another real-engine lab that is up — the owner file names a dir other than
 * stateDir and that dir still holds a lab.json — else undefined. `lab up` refuses to start beside
 * it, `lab down` of some other dir leaves its hq-* names alone.
 */
export function otherLiveNeutronLab(stateDir: string, ownerFile = NEUTRON_OWNER_FILE): string | undefined {
  const owner = neutronOwner(ownerFile);
  return owner !== '' && owner !== stateDir && path.isAbsolute(owner) && fs.existsSync(path.join(owner, 'lab.json')) ? owner : undefined;
}
