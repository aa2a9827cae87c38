import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { HaprobeError } from '../errors';
import type { Facts } from './facts';

/**
 * Read a facts file (JSON or YAML, the shape of Facts in facts.ts). Validation names the
 * file and the path of the first offending field; nothing is guessed.
 */
export function loadFacts(path: string): { facts: Facts; digest: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new HaprobeError('facts', `cannot read facts file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { where: path });
  }
  let data: unknown;
  try {
    data = /^\s*[{[]/.test(text) ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new HaprobeError('facts', `not valid JSON/YAML: ${(err as Error).message}`, { where: path });
  }
  const problem = validateFacts(data);
  if (problem) throw new HaprobeError('facts', problem.message, { where: `${path}: ${problem.path}` });
  return { facts: data as Facts, digest: createHash('sha256').update(text).digest('hex') };
}

interface Problem {
  path: string;
  message: string;
}

const LISTS = ['routers', 'ports', 'floatingIps', 'instances', 'agents'] as const;
const REQUIRED: Record<(typeof LISTS)[number], string[]> = {
  routers: ['id', 'mode', 'hosts', 'subnets'],
  ports: ['id', 'deviceOwner', 'networkId', 'mac', 'fixedIps'],
  floatingIps: ['floatingIp', 'fixedIp', 'portId', 'routerId'],
  instances: ['id', 'host', 'portId', 'mac', 'ip'],
  agents: ['host', 'type', 'alive'],
};

/** Structural validation of a facts document; returns the first problem found. */
export function validateFacts(data: unknown): Problem | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { path: '(top)', message: 'facts must be a mapping with routers, ports, floatingIps, instances, agents' };
  }
  const doc = data as Record<string, unknown>;
  if (doc.version !== 1) return { path: 'version', message: `unsupported facts version ${JSON.stringify(doc.version)} (expected 1)` };
  for (const list of LISTS) {
    const items = doc[list] ?? [];
    if (!Array.isArray(items)) return { path: list, message: 'must be a list' };
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as Record<string, unknown>;
      if (typeof item !== 'object' || item === null) return { path: `${list}[${i}]`, message: 'must be a mapping' };
      for (const field of REQUIRED[list]) {
        if (item[field] === undefined) return { path: `${list}[${i}].${field}`, message: `missing required field "${field}"` };
      }
    }
    doc[list] = items;
  }
  const routers = doc.routers as Record<string, unknown>[];
  for (let i = 0; i < routers.length; i++) {
    if (!['legacy', 'ha', 'dvr', 'dvr-ha'].includes(String(routers[i].mode))) {
      return { path: `routers[${i}].mode`, message: `unknown router mode "${String(routers[i].mode)}" (legacy, ha, dvr, dvr-ha)` };
    }
  }
  return undefined;
}
