import { benchParse } from './parse';
import { benchCapture } from './capture';
import { benchLab } from './lab';
import { benchCollect } from './collect';
import { benchGarpLatency } from './garp';
import { benchFloor, formatFloor } from './floor';
import { benchScale, formatScale } from './scale';
import { labDown, labUp } from '../src/lab';
import { benchNeutronEngine } from './neutron-engine';

type Out = (line: string) => void;

/**
 * The sections of `npm run bench`, in the order they run. Each prints its own heading and figures;
 * every lab part needs root.
 */
const SECTIONS: Record<string, (out: Out) => Promise<void>> = {
  async parse(out) {
    out('\n## Parsers (linear; target: well under 1 s per 100k items)');
    for (const r of await benchParse()) out(`${r.name.padEnd(26)} ${String(r.items).padStart(7)} items ${r.ms.toFixed(1).padStart(8)} ms  ${Math.round(r.items / (r.ms / 1000)).toLocaleString('en')} items/s`);
  },
  async capture(out) {
    out('\n## Capture decode + classify (pcap stream, 64 KiB chunks)');
    const c = await benchCapture();
    out(`${c.frames} frames in ${c.ms} ms: ${c.framesPerSecond.toLocaleString('en')} frames/s, ${c.mbPerSecond} MB/s (${c.garps} G-ARPs)`);
  },
  async lab(out) {
    out('\n## Lab up / down per profile (real netns, sshd, OVS, iptables, keepalived)');
    for (const r of await benchLab()) out(`${r.profile.padEnd(22)} up ${String(r.upMs).padStart(6)} ms   down ${String(r.downMs).padStart(6)} ms`);
  },
  async 'real-engine'(out) {
    out('\n## Real-Neutron lab engine up / down per profile (OpenStack Zed; skipped without setup.sh --with-openstack)');
    const nb = await benchNeutronEngine();
    if (nb.length === 0) out('skipped: OpenStack packages not installed');
    for (const r of nb) {
      out(`${r.profile.padEnd(22)} up ${(r.upMs / 1000).toFixed(1).padStart(6)} s   down ${(r.downMs / 1000).toFixed(1).padStart(5)} s   +${r.memMb} MB`);
      out(`${''.padEnd(22)} ${Object.entries(r.phases).map(([k, v]) => `${k} ${v} s`).join(' · ')}`);
    }
  },
  async collect(out) {
    out('\n## Collection of one lab snapshot, three ways, same script, same lab (best of 3), at 4 and 32 nodes (issue 10)');
    for (const computes of [2, 30]) {
      for (const r of await benchCollect({ computes })) {
        out(`${r.way.padEnd(24)} ${r.nodes} nodes ${String(r.wallMs).padStart(7)} ms  ×${r.ratio.toFixed(2)} of haprobe  (${r.ok}/${r.nodes} ok)`);
      }
    }
  },
  async floor(out) {
    out('\n## Floor (issue 10): same script run directly in every node (nsenter, no SSH), same parallelism');
    for (const computes of [2, 30]) {
      for (const line of formatFloor(await benchFloor({ computes, rounds: computes > 8 ? 2 : 3 }))) out(line);
    }
  },
  async scale(out) {
    out('\n## Scale (issue 10): one light lab of 200 nodes, haprobe run over 25/50/100/200 of them');
    for (const line of formatScale(await benchScale())) out(line);
  },
  async garp(out) {
    out('\n## G-ARP verdict latency on the lab (frame capture timestamp → haprobe judge event)');
    const stateDir = '/var/tmp/haprobe-bench-garp';
    await labDown({ stateDir }).catch(() => undefined);
    await labUp({ profile: 'neutron-legacy', stateDir, renderer: 'silent' });
    try {
      const g = await benchGarpLatency(stateDir);
      out(`${g.samples} G-ARP frames: median ${g.p50Ms.toFixed(2)} ms, max ${g.maxMs.toFixed(2)} ms`);
    } finally {
      await labDown({ stateDir });
    }
  },
};

/** a bad `--only`: said in one line, exit 2 */
export class BenchUsageError extends Error {}

/** the sections asked for: all; `--quick` the two without a lab; `--only a,b` those (unknown names refused) */
export function sectionsOf(argv: readonly string[]): string[] {
  const all = Object.keys(SECTIONS);
  const i = argv.indexOf('--only');
  if (i < 0) return argv.includes('--quick') ? ['parse', 'capture'] : all;
  const asked = (argv[i + 1] ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  const unknown = asked.filter((x) => !all.includes(x));
  if (asked.length === 0 || unknown.length > 0) {
    throw new BenchUsageError(`--only takes a comma-separated list of: ${all.join(', ')}${unknown.length > 0 ? ` (unknown: ${unknown.join(', ')})` : ''}`);
  }
  return all.filter((x) => asked.includes(x));
}

/**
 * `npm run bench`: every figure the issues ask for, printed, measured in one run on this machine.
 * Speed targets live here, not in timed tests. `--quick` skips the lab parts; `npm run bench --
 * --only real-engine` runs one section alone (a quiet machine for one figure).
 */
async function main(): Promise<void> {
  const want = sectionsOf(process.argv.slice(2));
  const out: Out = (line) => void process.stdout.write(line + '\n');
  out(`haprobe benchmarks — ${new Date().toISOString()} — node ${process.version}, ${require('node:os').cpus().length} cores — sections: ${want.join(', ')}`);
  for (const name of want) await SECTIONS[name](out);
}

if (require.main === module) {
  main().catch((err) => {
    if (err instanceof BenchUsageError) {
      process.stderr.write(`bench: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
}
