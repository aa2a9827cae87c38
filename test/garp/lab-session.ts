import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { labDown, labUp, labPaths } from '../../src/lab';
import { loadInventoryAuto } from '../../src/inventory';
import { createTransport } from '../../src/transport';
import { loadProfile } from '../../src/profile';
import type { Inventory } from '../../src/inventory/types';
import type { Facts } from '../../src/model/facts';
import type { ResolvedProfile } from '../../src/profile/types';
import { decodePcapBuffer } from '../../src/capture/pcap';
import { decodeRecord } from '../../src/capture/frame';
import { parseTcpdumpText } from '../../src/capture/tcpdump-text';
import type { CapturedFrame } from '../../src/capture/types';
import { verifyGarp, type VerifyGarpOptions, type VerifyGarpResult } from '../../src/garp/verify-garp';
import { compareFrames } from '../capture/helpers/compare-frames';
import { useLabSuite, type LabHandle } from '../helpers/lab-suite';
import { listProcesses, underOtherEngine } from '../hardening/remote-processes';

/** One lab per suite (own state dir), haprobe's own SSH transports against it, strict teardown. */
export interface GarpLab {
  stateDir: string;
  inventory: Inventory;
  profile: ResolvedProfile;
  facts(): Facts;
  ssh(node: string, cmd: string): Promise<string>;
  verify(o: Partial<VerifyGarpOptions> & Pick<VerifyGarpOptions, 'fip'>): Promise<VerifyGarpResult>;
  tmp: string;
}

export async function upGarpLab(profile: string): Promise<GarpLab> {
  const stateDir = `/var/tmp/haprobe-garptest-${profile}`;
  await labDown({ stateDir }).catch(() => undefined);
  await labUp({ profile, stateDir, renderer: 'silent' });
  const paths = labPaths(stateDir);
  const inventory = loadInventoryAuto(paths.inventory);
  const prof = loadProfile(profile);
  const facts = (): Facts => JSON.parse(fs.readFileSync(paths.facts, 'utf8')) as Facts;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `hp-garp-${profile}-`));
  return {
    stateDir, inventory, profile: prof, facts, tmp,
    async ssh(node, cmd) {
      const t = createTransport(inventory.nodes.find((n) => n.name === node)!, inventory);
      try {
        const r = await t.exec(cmd, { timeoutMs: 20_000 });
        if (r.failure || r.exitCode !== 0) throw new Error(`${node}: ${cmd}: ${r.failure?.message ?? r.stderr}`);
        return r.stdout;
      } finally {
        await t.close();
      }
    },
    verify: (o) => verifyGarp(
      { inventory, facts: facts(), profile: prof, deadlineMs: 10_000, ...o },
      { transportFor: (n) => createTransport(n, inventory) },
    ),
  };
}

/** the suite's lab: upGarpLab in before(), downGarpLab (with its leak checks) in after(), always */
export function useGarpLab(profile: string): LabHandle<GarpLab> {
  return useLabSuite(() => upGarpLab(profile), (lab) => downGarpLab(lab, profile), { upMs: 180_000, downMs: 60_000 });
}

export async function downGarpLab(lab: GarpLab | undefined, profile: string): Promise<void> {
  await labDown({ stateDir: lab?.stateDir ?? `/var/tmp/haprobe-garptest-${profile}` });
  if (lab) fs.rmSync(lab.tmp, { recursive: true, force: true });
  const left = fs.existsSync('/run/netns') ? fs.readdirSync('/run/netns').filter((n) => n.startsWith('hp-')) : [];
  expect(left, 'hp-* namespaces left').to.deep.equal([]);
  // the real-engine suites run beside this one (npm test's two lanes): their live captures are not ours
  const all = listProcesses();
  const tcpdumps = all.filter((p) => p.args.startsWith('tcpdump -U --immediate-mode') && !underOtherEngine(p, all)).map((p) => p.args);
  expect(tcpdumps, 'tcpdump left running').to.deep.equal([]);
}

/**
 * Differential check of a saved live capture: haprobe's decode of the exact bytes it streamed vs
 * `tcpdump -nn -e -tt -r` of the same file (parsed by haprobe's text parser, compared field by
 * field: times, MACs, opcodes, addresses). Returns the frames and the disagreements.
 */
export function diffSavedPcap(file: string): { frames: CapturedFrame[]; diffs: string[] } {
  const pcap = decodePcapBuffer(fs.readFileSync(file));
  const frames = pcap.records.map(decodeRecord);
  const text = execFileSync('tcpdump', ['-nn', '-e', '-tt', '-r', file], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  const parsed = parseTcpdumpText(text);
  return { frames, diffs: [...pcap.warnings, ...parsed.warnings.map((w) => `text line ${w.line}: ${w.message}`), ...compareFrames(frames, parsed.value)] };
}

export function mkdir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
