import { labDown, labUp, PROFILES } from '../src/lab';

/**
 * Lab build/teardown timings per profile (the lead wires it into `npm run bench`).
 * Uses its own state dir; needs root and no other lab up on the machine.
 */
export async function benchLab(opts: { computes?: number; stateDir?: string } = {}): Promise<{ profile: string; upMs: number; downMs: number }[]> {
  const stateDir = opts.stateDir ?? '/var/tmp/haprobe-lab-bench';
  const out: { profile: string; upMs: number; downMs: number }[] = [];
  for (const p of PROFILES) {
    await labDown({ stateDir }).catch(() => undefined);
    const t0 = Date.now();
    try {
      await labUp({ profile: p.id, computes: opts.computes, stateDir, renderer: 'silent' });
    } finally {
      const upMs = Date.now() - t0;
      const t1 = Date.now();
      await labDown({ stateDir });
      out.push({ profile: p.id, upMs, downMs: Date.now() - t1 });
    }
  }
  return out;
}
