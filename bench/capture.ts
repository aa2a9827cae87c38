import * as fs from 'fs';
import * as path from 'path';
import { PcapStreamDecoder, decodePcapBuffer } from '../src/capture/pcap';
import { decodeRecord } from '../src/capture/frame';
import { classifyArp } from '../src/capture/classify';

/**
 * Decode + classify benchmark: a pcap of ≥100 000 frames made by replicating the real frames
 * of test/capture/fixtures/garps.pcap (captured on this machine) with increasing timestamps,
 * fed to the streaming decoder in 64 KiB chunks as `tcpdump -U -w -` output would arrive.
 */

export interface CaptureBenchResult {
  framesPerSecond: number;
  frames: number;
  arpFrames: number;
  garps: number;
  bytes: number;
  ms: number;
  mbPerSecond: number;
}

const FIXTURE = path.resolve(__dirname, '../../test/capture/fixtures/garps.pcap');

export function buildBenchPcap(minFrames = 100_000): Buffer {
  const src = fs.readFileSync(FIXTURE);
  const { records } = decodePcapBuffer(src);
  const header = src.subarray(0, 24);
  const parts: Buffer[] = [header];
  let sec = records[0].sec;
  let usec = 0;
  for (let n = 0; n < minFrames; ) {
    for (const r of records) {
      const h = Buffer.alloc(16);
      usec += 137;
      if (usec >= 1e6) {
        sec++;
        usec -= 1e6;
      }
      h.writeUInt32LE(sec, 0);
      h.writeUInt32LE(usec, 4);
      h.writeUInt32LE(r.caplen, 8);
      h.writeUInt32LE(r.origLen, 12);
      parts.push(h, r.data);
      n++;
    }
  }
  return Buffer.concat(parts);
}

export async function benchCapture(minFrames = 100_000): Promise<CaptureBenchResult> {
  const pcap = buildBenchPcap(minFrames);
  const run = (): Omit<CaptureBenchResult, 'framesPerSecond' | 'ms' | 'mbPerSecond'> => {
    const decoder = new PcapStreamDecoder();
    let frames = 0;
    let arpFrames = 0;
    let garps = 0;
    const CHUNK = 65536;
    for (let off = 0; off < pcap.length; off += CHUNK) {
      decoder.pushTo(pcap.subarray(off, off + CHUNK), (rec) => {
        const f = decodeRecord(rec);
        frames++;
        const c = classifyArp(f);
        if (c) {
          arpFrames++;
          if (c.class === 'garp-request' || c.class === 'garp-reply') garps++;
        }
      });
    }
    decoder.end();
    return { frames, arpFrames, garps, bytes: pcap.length };
  };
  run(); // warm-up (JIT)
  const t0 = process.hrtime.bigint();
  const r = run();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ...r, ms: Math.round(ms * 10) / 10, framesPerSecond: Math.round(r.frames / (ms / 1000)), mbPerSecond: Math.round((r.bytes / 1e6 / (ms / 1000)) * 10) / 10 };
}

if (require.main === module) {
  void benchCapture().then((r) => process.stdout.write(JSON.stringify(r) + '\n'));
}
