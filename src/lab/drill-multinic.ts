import { spawn } from 'node:child_process';
import { HaprobeError } from '../errors';
import { sleep } from './ha-state';
import { labPaths } from './paths';
import { planOfState } from './plan';
import { readBackends, waitBackendsUp } from './multinic-wait';
import { nodeArgv, nodeScript } from './shell';
import { requireLabUp } from './state';

/**
 * `drill failover -p neutron-multinic-aa` on the lab (issue 9, seed 001): one network node's
 * router goes down while a client behind the balancer (in the upstream node) opens a TCP
 * connection through haproxy every 100 ms and reads the instance's answer; the drill reports
 * what that client saw (failed connects, the outage from the first failure to the next answer)
 * and when haproxy's health check took the path out — next to the seed's claim that the balancer
 * hides the loss of a network node. No L3 failover happens at all: the other path just carries on.
 */
export type MultiNicDrillFault = 'link-down' | 'stop-node';

export interface MultiNicDrillResult {
  fault: MultiNicDrillFault;
  node: string;
  routerId: string;
  floatingIp: string;
  frontend: string;
  /** client attempts (TCP connect + one answer line, 1 s timeout each) from fault − preMs to the end */
  attempts: number;
  failedAfterFault: number;
  /** ms after the fault: first failed attempt, first answer after the last failure */
  firstFailMs?: number;
  recoveredMs?: number;
  /** client-side outage (recoveredMs − firstFailMs), 0 when no attempt failed */
  outageMs: number;
  /** ms after the fault when haproxy showed the server no longer UP (its health check: inter 500ms fall 2) */
  backendDownMs?: number;
  budgetSeconds: number;
  verdict: 'pass' | 'fail';
  /** sample lines `<ms after fault> ok|fail` */
  samples: { t: number; ok: boolean }[];
}

const CLIENT = (ip: string, port: number): string =>
  `while :; do t=$(date +%s%3N); if timeout 1 bash -c 'exec 3<>/dev/tcp/${ip}/${port} && printf "GET / HTTP/1.0\\r\\n\\r\\n" >&3 && read -r l <&3 && [ -n "$l" ]' 2>/dev/null; ` +
  'then echo "$t ok"; else echo "$t fail"; fi; sleep 0.1; done';

/** what the fault does on the network node of path 0 (r1): its qg- down, or every uplink of the node down */
function faultScript(fault: MultiNicDrillFault, ns: string, qg: string, down: boolean): string {
  const s = down ? 'down' : 'up';
  return fault === 'link-down' ? `ip -n ${ns} link set ${qg} ${s}\n` : `ip link set ex-up ${s}\nip link set dt-up ${s}\n`;
}

export async function drillMultiNicFailover(opts: { stateDir: string; fault: MultiNicDrillFault; budgetSeconds: number; progress?: (l: string) => void }): Promise<MultiNicDrillResult> {
  const paths = labPaths(opts.stateDir);
  const state = requireLabUp(paths);
  const plan = planOfState(state);
  const mn = plan.multiNic;
  if (!mn) throw new HaprobeError('usage', `drill failover -p neutron-multinic-aa needs the neutron-multinic-aa lab (this is ${plan.profile})`);
  const path0 = mn.paths[0];
  const node = path0.host;
  const ns = `qrouter-${path0.routerId}`;
  const up = state.nodes[mn.balancer.node]!.holderPid!;
  const victim = state.nodes[node]!.holderPid!;
  await waitBackendsUp(up);
  const argv = nodeArgv(up, ['bash', '-c', CLIENT(mn.balancer.frontend, mn.balancer.port)]);
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  let buf = '';
  const raw: { at: number; ok: boolean }[] = [];
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const m = /^(\d+) (ok|fail)$/.exec(buf.slice(0, i).trim());
      buf = buf.slice(i + 1);
      if (m) raw.push({ at: Number(m[1]), ok: m[2] === 'ok' });
    }
  });
  let faultAt = 0;
  let backendDownAt: number | undefined;
  try {
    await sleep(2000);
    opts.progress?.(`fault ${opts.fault} on ${node} (${opts.fault === 'link-down' ? `${ns} qg- down` : 'ex-up and dt-up down'})`);
    faultAt = Date.now();
    await nodeScript(victim, faultScript(opts.fault, ns, path0.qg.device, true), `drill fault on ${node}`);
    const end = faultAt + 8000;
    while (Date.now() < end) {
      if (backendDownAt === undefined) {
        const s = (await readBackends(up)).find((x) => x.server === path0.routerName);
        if (s && s.status !== 'UP') backendDownAt = Date.now();
      }
      await sleep(200);
    }
  } finally {
    // the client dies with its process group; restore whatever happens
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    if (faultAt > 0) {
      await nodeScript(victim, faultScript(opts.fault, ns, path0.qg.device, false), `drill restore on ${node}`);
      opts.progress?.('restored; waiting for haproxy to see both paths UP');
      await waitBackendsUp(up);
    }
  }
  return summarizeDrill(raw, faultAt, backendDownAt, { fault: opts.fault, node, routerId: path0.routerId, floatingIp: path0.fip.ip,
    frontend: `${mn.balancer.frontend}:${mn.balancer.port}`, budgetSeconds: opts.budgetSeconds });
}

/** pure: client samples → outage numbers and verdict (outage within the profile's budget) */
export function summarizeDrill(raw: { at: number; ok: boolean }[], faultAt: number, backendDownAt: number | undefined,
  base: Pick<MultiNicDrillResult, 'fault' | 'node' | 'routerId' | 'floatingIp' | 'frontend' | 'budgetSeconds'>): MultiNicDrillResult {
  const samples = raw.map((r) => ({ t: r.at - faultAt, ok: r.ok }));
  const after = samples.filter((s) => s.t >= 0);
  const fails = after.filter((s) => !s.ok);
  const firstFail = fails[0];
  const lastFail = fails[fails.length - 1];
  const recovered = lastFail ? after.find((s) => s.t > lastFail.t && s.ok) : undefined;
  const outageMs = firstFail ? (recovered ? recovered.t : after[after.length - 1]!.t) - firstFail.t : 0;
  const verdict = (!firstFail || recovered !== undefined) && outageMs <= base.budgetSeconds * 1000 ? 'pass' : 'fail';
  return { ...base, attempts: samples.length, failedAfterFault: fails.length, firstFailMs: firstFail?.t, recoveredMs: recovered?.t, outageMs,
    backendDownMs: backendDownAt === undefined ? undefined : backendDownAt - faultAt, verdict, samples };
}

export function renderMultiNicDrill(r: MultiNicDrillResult): string {
  return [
    `multi-NIC active/active drill (seed 001): ${r.fault} on ${r.node} (router ${r.routerId}, FIP ${r.floatingIp}); client → haproxy ${r.frontend} every 100 ms`,
    `  client attempts        ${r.attempts} (${r.failedAfterFault} failed after the fault)`,
    `  first failed attempt   ${r.firstFailMs === undefined ? '-' : `+${r.firstFailMs} ms`}`,
    `  haproxy took it out    ${r.backendDownMs === undefined ? 'not within the drill' : `+${r.backendDownMs} ms (health check inter 500ms fall 2)`}`,
    `  answers again          ${r.recoveredMs === undefined ? (r.firstFailMs === undefined ? '-' : 'never within the drill') : `+${r.recoveredMs} ms`}`,
    `  client outage          ${r.outageMs} ms (budget ${r.budgetSeconds} s)`,
    `  verdict                ${r.verdict.toUpperCase()}`,
    '',
  ].join('\n');
}

