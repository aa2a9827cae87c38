import * as fs from 'node:fs';
import * as path from 'node:path';
import { HaprobeError } from '../errors';
import { decodePcapBuffer } from '../capture/pcap';
import { decodeRecord } from '../capture/frame';
import { parseTcpdumpText } from '../capture/tcpdump-text';
import type { GarpFrames } from './garp-places';

/**
 * `where --capture [NODE=]FILE`: a saved capture (pcap, pcapng is not read; or tcpdump text with
 * -e, as pasted into a ticket) for the G-ARP layer. NODE labels the frames with the node it was
 * taken on; the file's name is the capture point. Unreadable or not a capture: a typed error.
 */
export function readCaptureFile(spec: string): GarpFrames {
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)=(.+)$/.exec(spec);
  const node = m && !fs.existsSync(spec) ? m[1] : undefined;
  const file = node !== undefined ? m![2] : spec;
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (err) {
    throw new HaprobeError('usage', `cannot read capture ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { where: '--capture' });
  }
  const label = path.basename(file);
  const pcap = decodePcapBuffer(buf);
  let frames;
  if (pcap.header) frames = pcap.records.map(decodeRecord);
  else {
    const text = parseTcpdumpText(buf.toString('utf8'));
    if (text.value.length === 0) throw new HaprobeError('usage', `${file} is neither a pcap file nor tcpdump text`, { where: '--capture', hint: 'tcpdump -w FILE, or tcpdump -e -n text' });
    frames = text.value;
  }
  for (const f of frames) {
    if (node !== undefined) f.node = node;
    f.device = label;
  }
  return { frames, source: label };
}
