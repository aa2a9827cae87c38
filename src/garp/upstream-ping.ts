import type { StreamHandle, Transport } from '../transport/types';
import { buildPingCommand } from './drill-commands';
import { correctTs } from './estimate-offset';
import { parsePingLine, type PingReply } from './ping-outage';

/**
 * The continuous ping every drill runs from the upstream node (L3 HA, nova hot standby, OVN):
 * connects, streams `ping -D` at `intervalMs`, and pushes each reply into `replies` on the local
 * clock (the node's measured offset subtracted). The caller stops the returned stream; nothing
 * is left running on the node (transport stream semantics).
 */
export async function startUpstreamPing(
  t: Transport,
  o: { target: string; intervalMs: number; namespace?: string; sudo?: boolean; offsetMs: number },
  replies: PingReply[],
): Promise<StreamHandle> {
  let buf = '';
  await t.connect();
  return t.stream(buildPingCommand(o.target, o.intervalMs, o.namespace), {
    sudo: o.sudo,
    onStdout: (chunk) => {
      buf += chunk.toString('utf8');
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) {
        const r = parsePingLine(l);
        if (r) replies.push(correctTs(r, o.offsetMs));
      }
    },
  });
}
