import * as fs from 'node:fs';
import { neutronLabDown } from '../src/lab/neutron/down';
import { neutronLabUp } from '../src/lab/neutron/up';
import { NEUTRON_PROFILES } from '../src/lab/neutron/topology';

export interface NeutronEngineBench {
  profile: string;
  upMs: number;
  downMs: number;
  /** seconds per phase of `up` (control plane, agents, API objects, …) */
  phases: Record<string, number>;
  /** MB used on the machine while the lab was up, over the baseline before it */
  memMb: number;
}

function usedMb(): number {
  const m = fs.readFileSync('/proc/meminfo', 'utf8');
  const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(m)?.[1] ?? 0);
  return Math.round((kb('MemTotal') - kb('MemAvailable')) / 1024);
}

/**
 * `lab up --engine neutron` / `lab down` per profile (issue 16), one after the other in its own
 * state dir. Returns [] when OpenStack is not installed (scripts/setup.sh --with-openstack).
 * Callers hold /tmp/haprobe-neutron.lock.
 */
export async function benchNeutronEngine(profiles: readonly string[] = NEUTRON_PROFILES): Promise<NeutronEngineBench[]> {
  if (!fs.existsSync('/usr/bin/neutron-server')) return [];
  const out: NeutronEngineBench[] = [];
  for (const profile of profiles) {
    const stateDir = `/var/tmp/haprobe-bench-neutron-${profile}`;
    await neutronLabDown({ stateDir }).catch(() => undefined);
    const before = usedMb();
    const up = await neutronLabUp({ profile, stateDir });
    const memMb = usedMb() - before;
    const down = await neutronLabDown({ stateDir });
    out.push({ profile, upMs: up.upMs, downMs: down.downMs, phases: up.timings, memMb });
  }
  return out;
}
