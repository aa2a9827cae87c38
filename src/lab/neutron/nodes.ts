import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HaMode } from '../../model/facts';
import { HaprobeError } from '../../errors';
import { waitFor } from '../ha-state';
import { startMarkedHolder } from '../node-holders';
import { nodeScript, runArgv } from '../shell';
import { NHOLDER_MARK, type NeutronLabPaths } from './names';
import { renderAgentNeutronConf, renderL3AgentIni, renderOvsAgentIni } from './render-config';
import { neutronHolderArgv, renderNeutronNodeInfra } from './render-host';
import type { NeutronNode } from './topology';
import type { NeutronApi } from './api';

/** node dir layout, keys and the node's /etc/neutron */
export async function prepareNodeDirs(nodes: NeutronNode[], p: NeutronLabPaths, mode: HaMode): Promise<void> {
  const keygens: Promise<unknown>[] = [runArgv(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'haprobe-nlab', '-f', p.key], '')];
  for (const n of nodes) {
    const dir = p.nodeDir(n.name);
    for (const sub of ['neutron/lock', 'ovs-run', 'ovs', 'log', 'etc/plugins/ml2']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
    fs.writeFileSync(path.join(dir, 'etc', 'neutron.conf'), renderAgentNeutronConf(n));
    fs.writeFileSync(path.join(dir, 'etc', 'plugins', 'ml2', 'openvswitch_agent.ini'), renderOvsAgentIni(n, mode));
    if (n.agentMode) fs.writeFileSync(path.join(dir, 'etc', 'l3_agent.ini'), renderL3AgentIni(n));
    keygens.push(runArgv(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', `haprobe-nlab-${n.name}`, '-f', path.join(dir, 'ssh_host_ed25519_key')], ''));
  }
  await Promise.all(keygens);
  fs.copyFileSync(`${p.key}.pub`, p.authorizedKeys);
}

/** start a node's holder; returns the host pid of its init */
export function startNeutronHolder(node: string, dir: string): Promise<number> {
  return startMarkedHolder(node, neutronHolderArgv(node, dir), `${NHOLDER_MARK}-${node}`, 30_000, 50);
}

export async function startNodeInfra(n: NeutronNode, holder: number, p: NeutronLabPaths): Promise<void> {
  await nodeScript(holder, renderNeutronNodeInfra(n, p.nodeDir(n.name), p.authorizedKeys), `infra of ${n.name}`, 180_000);
}

const AGENTS = {
  ovs: { bin: 'neutron-openvswitch-agent', configs: ['/etc/neutron/neutron.conf', '/etc/neutron/plugins/ml2/openvswitch_agent.ini'], binary: 'neutron-openvswitch-agent' },
  l3: { bin: 'neutron-l3-agent', configs: ['/etc/neutron/neutron.conf', '/etc/neutron/l3_agent.ini'], binary: 'neutron-l3-agent' },
} as const;

/**
 * Start one agent inside the node (detached; its pid, in the node's PID namespace, in
 * /var/lib/neutron/<kind>-agent.pid) and poll the API until it is registered and alive.
 */
export async function startAgent(api: NeutronApi, n: NeutronNode, holder: number, kind: 'ovs' | 'l3', timeoutMs = 300_000): Promise<void> {
  const a = AGENTS[kind];
  const args = a.configs.flatMap((c) => ['--config-file', c]).join(' ');
  await nodeScript(holder, `nohup ${a.bin} ${args} >/var/log/neutron/${kind}-agent.out 2>&1 </dev/null &\necho $! > /var/lib/neutron/${kind}-agent.pid\n`,
    `start ${a.bin} on ${n.name}`);
  const ok = await waitFor(async () => {
    try {
      const r = await api.neutronRequest<{ agents: { alive: boolean }[] }>('GET', `/agents?host=${n.name}&binary=${a.binary}`);
      return r.agents.length === 1 && r.agents[0].alive;
    } catch {
      return false;
    }
  }, timeoutMs, 1000);
  if (!ok) throw new HaprobeError('lab', `${a.bin} on ${n.name} did not register alive within ${timeoutMs / 1000} s`, { where: `node ${n.name} /var/log/neutron` });
}
