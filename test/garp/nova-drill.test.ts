import { expect } from 'chai';
import type { GarpVerdict } from '../../src/capture/verdict';
import { judgeNovaDrill } from '../../src/garp/judge-nova-drill';
import { buildNovaStopNodeCommand, parseNovaRoleProbe } from '../../src/garp/nova-drill-commands';

/**
 * Pure parts of the nova hot standby drill (issue 9). The probe text is `ip -o` output as the
 * lab's nodes print it (iproute2 6.1, Debian 12); the G-ARP verdicts are the judge's own shape,
 * built here because judgeNovaDrill only folds them (the lab test feeds it real captures).
 */
const PROBE_ACTIVE = [
  '7: br100    inet 10.0.0.1/24 brd 10.0.0.255 scope global br100\\       valid_lft forever preferred_lft forever',
  '@link',
  '5: eth0@if12: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 56:9c:e4:3c:e0:bc brd ff:ff:ff:ff:ff:ff link-netns hp-fabric',
].join('\n');

const verdict = (status: 'PASS' | 'FAIL', counted: number, cause?: GarpVerdict['cause']): GarpVerdict => ({
  ip: '203.0.113.101', mac: '56:9c:e4:3c:e0:bc', pattern: 'nova-network', status, counted, expected: { required: 3, max: 3 },
  problems: cause ? [{ cause, detail: `${counted} of 3 REPLYs` }] : [], timeline: [], notes: [], ...(cause ? { cause } : {}),
});

describe('nova hot standby drill: probe and judge (pure)', () => {
  it('parseNovaRoleProbe: the dhcp_server on the bridge makes the host active; the public MAC is read', () => {
    expect(parseNovaRoleProbe(PROBE_ACTIVE, '10.0.0.1')).to.deep.equal({ holds: true, mac: '56:9c:e4:3c:e0:bc' });
    expect(parseNovaRoleProbe(PROBE_ACTIVE, '10.0.0.10').holds, 'a prefix of another address is not it').to.equal(false);
    expect(parseNovaRoleProbe(PROBE_ACTIVE.split('\n').slice(1).join('\n'), '10.0.0.1').holds, 'standby: no address on br100').to.equal(false);
  });

  it('stop-node takes the links down before killing the cluster manager (killed first, keepalived would hand over cleanly)', () => {
    const cmd = buildNovaStopNodeCommand('/run/keepalived.pid', ['eth0', 'eth1']);
    expect(cmd.indexOf('ip link set')).to.be.lessThan(cmd.indexOf('kill -KILL'));
  });

  it('takeover, outage and 3 REPLYs from the new host within 4 s: PASS, compared with the seed', () => {
    const j = judgeNovaDrill({ newPrimary: 'net2', newPrimaryMs: 3700, firstGarpMs: 3650, finalPrimary: 'net2', outageMs: 3500 }, 4000, { verdict: verdict('PASS', 3) });
    expect(j.verdict).to.equal('pass');
    expect(j.message).to.include('nova G-ARP: 3 REPLY(s) from 56:9c:e4:3c:e0:bc').and.include("client outage 3500 ms ≤ the seed's 4 s");
  });

  it('a takeover within budget whose announcement is short (1 of 3) fails, with the judge\'s cause', () => {
    const j = judgeNovaDrill({ newPrimary: 'net2', newPrimaryMs: 900, firstGarpMs: 900, finalPrimary: 'net2', outageMs: 400 }, 4000, { verdict: verdict('FAIL', 1, 'too-few') });
    expect(j.verdict).to.equal('fail');
    expect(j.message).to.include('nova G-ARP FAIL: too-few (1/3');
    expect(j.explanation).to.deep.equal(['G-ARP too-few: 1 of 3 REPLYs']);
  });

  it('send_arp_for_ha=False: "no G-ARP expected" and the reason are said, never a pass (the takeover without G-ARP fails)', () => {
    const j = judgeNovaDrill({ newPrimary: 'net2', newPrimaryMs: 900, firstGarpMs: null, finalPrimary: 'net2', outageMs: 300 }, 4000, { notExpected: 'send_arp_for_ha=False (LP 782364)' });
    expect(j.verdict).to.equal('fail', 'judgeDrill already fails a takeover without G-ARP');
    expect(j.message).to.include('no G-ARP expected: send_arp_for_ha=False (LP 782364)');
  });

  it('a standby that never takes over fails; the outage over 4 s is named against the seed', () => {
    const j = judgeNovaDrill({ newPrimaryMs: null, firstGarpMs: null, outageMs: null }, 4000, undefined);
    expect(j.verdict).to.equal('fail');
    expect(j.message).to.include('no new primary within the watch window');
    const slow = judgeNovaDrill({ newPrimary: 'net2', newPrimaryMs: 3800, firstGarpMs: 3800, finalPrimary: 'net2', outageMs: 5200 }, 4000, { verdict: verdict('PASS', 3) });
    expect(slow.verdict).to.equal('fail');
    expect(slow.message).to.include("client outage 5200 ms > the seed's 4 s");
  });
});
