import { expect } from 'chai';
import { loadInventory } from '../../src/inventory';
import { createTransport } from '../../src/transport';
import { readScriptOutput } from '../../src/collect/collect';
import { splitSections, expandSections } from '../../src/collect/sections';
import { buildSnapshotScript } from '../../src/collect/script';
import type { NodeSnapshot } from '../../src/model/types';
import { buildSnapshotScriptV1 } from './frozen/script-v1';
import { useLab } from '../lab/lab-helpers';

/**
 * Differential test of the cheaper snapshot script (issue 10): the frozen v1 (test/collect/frozen)
 * and v2 run over SSH on every node of the same lab, and their outputs must give the same parsed
 * snapshot. Counters that move between two reads of a live node (flow packet/byte counters, idle
 * ages, neighbour states) are blanked first; the only evidence key allowed to differ is the
 * `ovs-show` section, which v2 reads only when the one-call OVSDB read fails, and v2's keepalived
 * process scan (issue 12), which v1 did not have. (OVSDB rows come in
 * hash order, which differs between two ovs-vsctl calls: those sections are compared parsed.)
 */
/** issue 12: v2 also reads the IPv6 sysctls of qg-/qr- devices (l3ha-backup-ipv6); v1 never did */
const V2_ONLY_SYSCTL = /^net\.ipv6\.conf\.q[gr]-[^.]+\.(disable_ipv6|addr_gen_mode)( = .*)?$/;
const withoutV2Only = (text: string): string => text.split('\n').filter((l) => !V2_ONLY_SYSCTL.test(l)).join('\n');

function comparable(s: NodeSnapshot): unknown {
  const flows = Object.fromEntries(
    Object.entries(s.flows).map(([br, fl]) => [br, fl.map((f) => ({ ...f, nPackets: 0, nBytes: 0, idleAge: 0, raw: f.raw.replace(/(duration|n_packets|n_bytes|idle_age|hard_age)=[^,\s]+/g, '$1=_') }))]),
  );
  const ns = (n: NodeSnapshot['root']) =>
    n && { ...n, neighbours: n.neighbours.map((x) => ({ ...x, state: '_' })), sysctls: Object.fromEntries(Object.entries(n.sysctls).filter(([k]) => !V2_ONLY_SYSCTL.test(k))) };
  const evidence = { ...s.evidence };
  delete evidence['ovs-show'];
  // issue 12: v2 also reads every keepalived process (/proc scan), which v1 never did
  delete evidence['keepalived-procs'];
  // issue 9: v2 also reads the lab instances' ip rule/route (/run/haprobe-vms, neutron-multinic-aa's
  // multinic-policy-routing) and a haproxy admin socket; v1 never did
  for (const k of Object.keys(evidence)) if (/^(vm-(rule|route):|haproxy-stat$)/.test(k)) delete evidence[k];
  const haRouters = s.haRouters.map(({ keepalivedProcesses: _p, ...h }) => h);
  const { multiNic: _m, ...rest } = s;
  return { ...rest, flows, root: ns(s.root), namespaces: s.namespaces.map((n) => ns(n)), evidence, haRouters };
}

for (const profile of ['neutron-dvr-snat-ha']) {
  describe(`collect: snapshot script v2 equals the frozen v1 on the ${profile} lab @lab`, function () {
    this.timeout(120_000);
    const lab = useLab(profile);

    it('every node: same parsed snapshot, same sysctl, rule and versions text, no warnings', async () => {
      const inventory = loadInventory(lab().up.inventory);
      let compared = 0;
      for (const node of inventory.nodes) {
        const rootOnly = node.roles.length > 0 && node.roles.every((r) => r === 'gateway');
        const t = createTransport(node, inventory, {});
        try {
          const v1 = await t.exec('sh -s', { stdin: buildSnapshotScriptV1({ rootOnly }), timeoutMs: 60_000 });
          const v2 = await t.exec('sh -s', { stdin: buildSnapshotScript({ rootOnly }), timeoutMs: 60_000 });
          expect(v1.exitCode, `${node.name} v1`).to.equal(0);
          expect(v2.exitCode, `${node.name} v2`).to.equal(0);
          const a = readScriptOutput(node.name, node.roles, v1.stdout);
          const b = readScriptOutput(node.name, node.roles, v2.stdout);
          expect(b.warnings, `${node.name} v2 warnings`).to.deep.equal(a.warnings);
          expect(comparable(b.snapshot), `${node.name} snapshot`).to.deep.equal(comparable(a.snapshot));
          // the rewritten readers give byte-identical evidence, not only the same parse
          const text = (out: string) => new Map(expandSections(splitSections(out).sections).sections.map((s) => [s.key, s.output]));
          const [ta, tb] = [text(v1.stdout), text(v2.stdout)];
          for (const [key, out] of ta) {
            if (/^sysctl:/.test(key)) expect(withoutV2Only(tb.get(key) ?? ''), `${node.name} ${key}`).to.equal(out);
            else if (/^rule:/.test(key) || key === 'versions') expect(tb.get(key), `${node.name} ${key}`).to.equal(out);
          }
          if (!rootOnly) expect(b.snapshot.namespaces.length, `${node.name} namespaces`).to.be.greaterThan(0);
          compared += 1;
        } finally {
          await t.close();
        }
      }
      expect(compared).to.equal(inventory.nodes.length);
    });
  });
}
