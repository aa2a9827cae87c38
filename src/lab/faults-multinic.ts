import { HaprobeError } from '../errors';
import { holderOf, record, type FaultCtx, type FaultSpec } from './fault-spec';
import { MULTINIC, renderSecondRouter, vmNetns } from './multinic';
import type { PlanMultiNic } from './types';
import { readBackends, waitBackendsUp } from './multinic-wait';
import { SCRIPT_PRELUDE } from './render-node';
import { nodeScript } from './shell';

/**
 * Lab faults of neutron-multinic-aa (issue 9, seed 001): the typical breakages of Deutsche
 * Telekom's active/active design, each caught by its own check. None is a ground-truth §7 row
 * (the design is not neutron's own HA): no `bug` field.
 */
function multiNicOf(ctx: FaultCtx, name: string): PlanMultiNic {
  if (!ctx.plan.multiNic) throw new HaprobeError('usage', `${name} needs the neutron-multinic-aa lab (this is ${ctx.plan.profile})`);
  return ctx.plan.multiNic;
}

/** remove r2's qrouter- from `host` (its veths go with the namespace; the OVS ports are removed by name) */
function renderRemoveSecondRouter(mn: PlanMultiNic): string {
  const p = mn.paths[1];
  return [
    `ovs-vsctl --if-exists del-port br-int ${p.qr.device} -- --if-exists del-port br-ex ${p.qg.device}`,
    `ip netns del qrouter-${p.routerId}`,
    '',
  ].join('\n');
}

async function moveSecondRouter(ctx: FaultCtx, mn: PlanMultiNic, from: string, to: string): Promise<void> {
  await nodeScript(holderOf(ctx, from), renderRemoveSecondRouter(mn), `remove r2 from ${from}`);
  await nodeScript(holderOf(ctx, to), [SCRIPT_PRELUDE, ...renderSecondRouter(ctx.plan, mn, to)].join('\n') + '\n', `build r2 on ${to}`);
}

export const MULTINIC_FAULTS: FaultSpec[] = [
  {
    name: 'mn-same-node',
    check: 'multinic-anti-affinity',
    subject: 'router',
    needs: 'neutron-multinic-aa',
    description: 'anti-affinity broken: r2 is rescheduled to r1\'s network node (net1), as `openstack network agent add router` to the wrong agent would; ' +
      'both paths still answer, but one node failure now cuts both; the facts say so too (routers[].hosts)',
    async apply(ctx) {
      const mn = multiNicOf(ctx, this.name);
      const from = mn.paths[1].host;
      const to = mn.paths[0].host;
      await moveSecondRouter(ctx, mn, from, to);
      return record(this, `node ${to} router ${mn.paths[1].routerId}`, to, { from, to, factsR2Host: to });
    },
    async heal(ctx, rec) {
      const mn = multiNicOf(ctx, this.name);
      await moveSecondRouter(ctx, mn, String(rec.undo!.to), String(rec.undo!.from));
      await waitBackendsUp(holderOf(ctx, mn.balancer.node));
    },
  },
  {
    name: 'mn-no-policy-rule',
    check: 'multinic-policy-routing',
    subject: 'device (instance)',
    needs: 'neutron-multinic-aa',
    also: 'multinic-balancer: r2 DOWN (its health check\'s SYN-ACK leaves by eth0 and r1, SNATed to r1\'s gateway: the check never completes)',
    description: 'the instance loses the rule `from <eth1 ip> lookup 102` (a guest network restart without the PBR config): replies to the second FIP leave by eth0 ' +
      'through r1 (asymmetric), seed 001\'s "packets arriving on interface ethX will be replayed … via the same interface" broken',
    async apply(ctx) {
      const mn = multiNicOf(ctx, this.name);
      const p = mn.paths[1];
      await nodeScript(holderOf(ctx, mn.host), `nsenter --net=${vmNetns(mn.instance)} ip rule del from ${p.port.ip} lookup ${p.table} priority ${p.rulePriority}\n`, 'drop a policy rule');
      return record(this, `node ${mn.host} device ${mn.instance}`, mn.host, { ip: p.port.ip, table: p.table, priority: p.rulePriority });
    },
    async heal(ctx, rec) {
      const mn = multiNicOf(ctx, this.name);
      const u = rec.undo!;
      await nodeScript(holderOf(ctx, mn.host), `nsenter --net=${vmNetns(mn.instance)} ip rule add from ${String(u.ip)} lookup ${Number(u.table)} priority ${Number(u.priority)}\n`, 'restore the policy rule');
      await waitBackendsUp(holderOf(ctx, mn.balancer.node));
    },
  },
  {
    name: 'mn-backend-down',
    check: 'multinic-balancer',
    subject: 'floatingIp (backend server)',
    needs: 'neutron-multinic-aa',
    description: 'one balancer backend out of service: haproxy\'s server for the second FIP is put in maintenance on the admin socket (`disable server`, left there after ' +
      'an intervention) and shows MAINT: the balancer sends everything by one path and has nothing to fail over to',
    async apply(ctx) {
      const mn = multiNicOf(ctx, this.name);
      const p = mn.paths[1];
      const h = holderOf(ctx, mn.balancer.node);
      await nodeScript(h, `echo "disable server ${MULTINIC.backend}/${p.routerName}" | socat stdio ${MULTINIC.haproxySocket}\n`, 'disable a backend server');
      const s = (await readBackends(h)).find((x) => x.server === p.routerName);
      if (!s || s.status === 'UP') throw new HaprobeError('lab', `haproxy still shows ${p.routerName} ${s?.status ?? 'absent'} after disable`);
      return record(this, `node ${mn.balancer.node} device ${MULTINIC.backend} floatingIp ${p.fip.ip}`, mn.balancer.node, { server: p.routerName });
    },
    async heal(ctx, rec) {
      const mn = multiNicOf(ctx, this.name);
      const h = holderOf(ctx, mn.balancer.node);
      await nodeScript(h, `echo "enable server ${MULTINIC.backend}/${String(rec.undo!.server)}" | socat stdio ${MULTINIC.haproxySocket}\n`, 'enable the backend server');
      await waitBackendsUp(h);
    },
  },
];
