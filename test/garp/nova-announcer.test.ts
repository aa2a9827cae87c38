import { expect } from 'chai';
import { HaprobeError } from '../../src/errors';
import { planNovaAnnouncer, type NovaHostProbe } from '../../src/garp/plan-nova-announcer';
import { decideStatus, NOVA_NO_GARP } from '../../src/garp/verify-garp';
import type { Facts } from '../../src/model/facts';
import { novaCloud } from '../checks/fixtures/nova';

/**
 * Who must announce a nova-network floating IP for `garp verify` (issue 9), on the facts the nova
 * labs wrote (test/checks/fixtures/nova/*); the probes are what read-nova-plan parses from each
 * host (parseNovaRoleProbe is tested on real `ip -o` output in nova-drill.test.ts).
 */
const PROFILE = { id: 'nova-hot-standby', release: 'juno', garp: { events: { 'fip-associate': { pattern: 'nova-network' } } } } as never;
const MAC1 = '56:9c:e4:3c:e0:bc';
const MAC2 = '4a:1f:00:aa:bb:02';
const probes = (o: Record<string, Partial<NovaHostProbe>>): Map<string, NovaHostProbe> => new Map(Object.entries(o).map(([k, v]) => [k, { holdsFip: false, ...v }]));

describe('garp verify on nova-network: the announcer (pure)', () => {
  it('hot standby: the member holding the /32 announces, even when the facts still name the other (after a takeover)', () => {
    const facts = novaCloud('nova-hot-standby').facts!;
    const p = planNovaAnnouncer({ facts, profile: PROFILE, fip: '203.0.113.101', probes: probes({ net1: { mac: MAC1 }, net2: { mac: MAC2, holdsFip: true } }) });
    expect([p.mode, p.pattern, p.expected.node, p.expected.device, p.expected.mac, p.expected.namespace]).to.deep.equal(['nova-network', 'nova-network', 'net2', 'eth0', MAC2, '']);
    expect(p.candidates.map((c) => c.node)).to.deep.equal(['net2', 'net1']);
    expect(p.notes.join(' ')).to.include('bound on net2 now, the facts say net1');
    expect(p.instance?.name).to.equal('vm1');
  });

  it('multi_host: the instance\'s own compute; nothing bound yet: the facts\' floating_ips.host', () => {
    const facts = novaCloud('nova-multihost').facts!;
    const p = planNovaAnnouncer({ facts, profile: PROFILE, fip: '203.0.113.102', probes: probes({ cmp1: { mac: MAC1 }, cmp2: { mac: MAC2 } }) });
    expect([p.expected.node, p.expected.mac]).to.deep.equal(['cmp2', MAC2]);
  });

  it('refuses: the announcer\'s MAC unread, a FIP not in the facts, another instance than the FIP\'s', () => {
    const facts = novaCloud('nova-flatdhcp').facts!;
    const code = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return `${(e as HaprobeError).code}: ${(e as Error).message}`;
      }
      return 'none';
    };
    expect(code(() => planNovaAnnouncer({ facts, profile: PROFILE, fip: '203.0.113.102', probes: probes({}) }))).to.match(/^inventory: MAC of eth0 on net1 unknown/);
    expect(code(() => planNovaAnnouncer({ facts, profile: PROFILE, fip: '198.51.100.7', probes: probes({ net1: { mac: MAC1 } }) }))).to.match(/^usage: floating IP 198\.51\.100\.7 is not associated/);
    expect(code(() => planNovaAnnouncer({ facts, profile: PROFILE, fip: '203.0.113.102', instance: 'vm1', probes: probes({ net1: { mac: MAC1 } }) }))).to.match(/belongs to vm2/);
  });

  it('send_arp_for_ha off in the facts is said (LP 782364); the nova no-garp explanation names both bugs', () => {
    const facts: Facts = JSON.parse(JSON.stringify(novaCloud('nova-flatdhcp').facts)) as Facts;
    facts.nova!.sendArpForHa = false;
    const p = planNovaAnnouncer({ facts, profile: PROFILE, fip: '203.0.113.102', probes: probes({ net1: { mac: MAC1 } }) });
    expect(p.notes.join(' ')).to.include('LP 782364');
    expect(NOVA_NO_GARP).to.include('LP 782364').and.include('LP 1043796');
    expect(decideStatus({ status: 'FAIL', cause: 'no-garp', counted: 0, problems: [], notes: [], timeline: [] } as never, { kind: 'associate', instance: 'vm2' }, [], '203.0.113.102', 0).status).to.equal('FAIL');
  });
});
