import { HaprobeError } from '../errors';
import { parseHaproxyStat } from '../parse/parse-haproxy';
import { waitFor } from './ha-state';
import { MULTINIC } from './multinic';
import { nodeArgv, runArgv } from './shell';

/** haproxy's servers of the multinic backend as `name status` (admin socket, read inside the balancer node) */
export async function readBackends(holderPid: number): Promise<{ server: string; status: string; addr: string }[]> {
  const r = await runArgv(nodeArgv(holderPid, ['sh', '-c', `echo "show stat" | socat stdio ${MULTINIC.haproxySocket}`]), '', 5_000);
  return parseHaproxyStat(r.stdout).value.filter((row) => row.proxy === MULTINIC.backend && row.server !== 'BACKEND');
}

/** wait until every server of the multinic backend is UP (after up or a heal: inter 500ms rise 2) */
export async function waitBackendsUp(holderPid: number, count = 2, timeoutMs = 20_000): Promise<void> {
  let last: { server: string; status: string }[] = [];
  const ok = await waitFor(async () => {
    last = await readBackends(holderPid);
    return last.filter((s) => s.status === 'UP').length === count;
  }, timeoutMs, 250);
  if (!ok) throw new HaprobeError('lab', `haproxy does not see both floating IPs UP: ${last.map((s) => `${s.server} ${s.status}`).join(', ') || 'no servers'}`);
}
