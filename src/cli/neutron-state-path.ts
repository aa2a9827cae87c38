import { Option } from 'commander';
import { parseNodePath } from './options';

/**
 * neutron's state_path on the nodes, as the host sees it: ha_confs (keepalived.conf, the state
 * file, the pid files) lives below it. Containerised agents (kolla: /var/lib/kolla/…, OSA's lxc)
 * keep it elsewhere; without the flag haprobe reads /var/lib/neutron, where the state files are
 * then missing and HA roles unknown (a skip, never a guess). One definition for every command
 * that reads it (run, where, doctor, garp watch, garp verify, drill failover).
 */
export function neutronStatePathOption(): Option {
  return new Option('--neutron-state-path <dir>', 'neutron state_path on the nodes, as the host sees it (ha_confs lives below it; default /var/lib/neutron)');
}

/** the flag's value checked before any node is contacted; undefined when not given */
export function parseNeutronStatePath(value: string | undefined): string | undefined {
  return value === undefined ? undefined : parseNodePath(value, '--neutron-state-path');
}
