import * as path from 'node:path';
import { associateFip, buildPlan, disassociateFip, labPaths, readLabState, resolveStateDir } from '../src/lab';
import { loadInventoryAuto } from '../src/inventory';
import { createTransport } from '../src/transport';
import { loadFacts } from '../src/model/load-facts';
import { loadProfile } from '../src/profile';
import { labFipTrigger } from '../src/garp/lab-adapter';
import { verifyGarp } from '../src/garp/verify-garp';

/**
 * G-ARP judging latency on a live lab (DESIGN "Frames are judged as they stream in"): associate
 * a FIP on a neutron-legacy lab the caller brought up, and for every ARP frame of that FIP
 * measure the delay from its capture timestamp (pcap ts, written by tcpdump on the node) to the
 * moment GarpJudge emitted its event in haprobe. Same machine, so no clock skew: the delay covers
 * tcpdump -U flushing, sshd, ssh2, the pcap stream decoder, classification and judging.
 * The lab: `stateDir`, else $HAPROBE_LAB_DIR, else /var/tmp/haprobe-lab. The FIP is disassociated
 * again afterwards (it was free before).
 */
export async function benchGarpLatency(stateDir: string = resolveStateDir()): Promise<{ samples: number; p50Ms: number; maxMs: number }> {
  const paths = labPaths(stateDir);
  const state = readLabState(paths);
  if (!state || state.phase !== 'up') throw new Error(`no lab up in ${stateDir}`);
  const plan = buildPlan(state.profile, { computes: state.computes });
  let free = plan.fipPool.find((f) => state.fips[f.ip] === undefined);
  let reassociate = false;
  if (!free) {
    free = plan.fipPool[plan.fipPool.length - 1];
    await disassociateFip({ stateDir, fip: free.ip });
    reassociate = true;
  }
  const inventory = loadInventoryAuto(paths.inventory);
  const facts = loadFacts(paths.facts).facts;
  const delays: number[] = [];
  const action = { kind: 'associate' as const, instance: free.instance };
  try {
    await verifyGarp(
      { inventory, facts, profile: loadProfile(state.profile), fip: free.ip, action, trigger: labFipTrigger(stateDir, free.ip, action), deadlineMs: 10_000 },
      {
        transportFor: (n) => createTransport(n, inventory),
        onEvent: (ev, emittedAtMs) => {
          const a = ev.frame.arp;
          if (a && (a.spa === free!.ip || a.tpa === free!.ip)) delays.push(emittedAtMs - ev.frame.ts * 1000);
        },
      },
    );
  } finally {
    await disassociateFip({ stateDir, fip: free.ip });
    if (reassociate) await associateFip({ stateDir, fip: free.ip });
  }
  delays.sort((a, b) => a - b);
  const round = (x: number): number => Math.round(x * 100) / 100;
  return { samples: delays.length, p50Ms: round(delays[Math.floor((delays.length - 1) / 2)] ?? NaN), maxMs: round(delays[delays.length - 1] ?? NaN) };
}

if (require.main === module) {
  void benchGarpLatency(process.argv[2] ? path.resolve(process.argv[2]) : undefined).then(
    (r) => process.stdout.write(JSON.stringify(r) + '\n'),
    (err) => {
      process.stderr.write(`bench garp: ${(err as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
