import { expect } from 'chai';
import { applyWaivers } from '../../src/report/apply-waivers';
import { parseWaivers } from '../../src/report/load-waivers';
import { renderTable } from '../../src/report/render-table';
import { nextStepOf, NEXT_STEP_CHECKS } from '../../src/report/next-step';
import { wantsColor } from '../../src/cli/commands/run';
import { CHECK_IDS } from '../../checks';
import type { RunResult } from '../../src/report/result';
import { DNAT_MISSING, FIP, makeHistory, makeRun, R1, WAIVERS_YAML } from './fixtures';

/** the run with its DNAT finding under the real check id, so the table can name the next step */
function withRealCheckIds(run: RunResult): RunResult {
  const rename = (id: string): string => (id === 'nat-fip-rules' ? 'nat-rules' : id);
  return {
    ...run,
    checks: run.checks.map((c) => ({ ...c, id: rename(c.id) })),
    rows: run.rows.map((r) => ({ ...r, checkId: rename(r.checkId) })),
    findings: run.findings.map((f) => ({ ...f, checkId: rename(f.checkId) })),
  };
}

describe('report: renderTable (issue 13: one line per check, then what did not pass)', () => {
  it('a failing run: per-check lines worst first, then the failure with its reason and next step, then the summary', () => {
    const out = renderTable(withRealCheckIds(makeHistory()[1]));
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).to.match(/^check\s+severity\s+subjects\s+pass\s+fail\s+warn\s+skip\s+verdict$/);
    // one line per check of result.checks, the failing one first, with its counts over its subjects
    expect(lines[1]).to.match(/^nat-rules\s+critical\s+2\s+1\s+1\s+0\s+0\s+fail$/);
    expect(lines.slice(2, 4).every((l) => /\spass$/.test(l))).to.equal(true);
    // the failure: check, pointer to explain and docs, the subject and reason, the read-only command to look closer
    const detail = lines.findIndex((l) => l.startsWith('nat-rules: 1 fail'));
    expect(lines[detail]).to.include('haprobe explain nat-rules').and.include('docs/checks.md#nat-rules');
    expect(lines[detail + 1]).to.match(/^ {2}fail /).and.include(`net1/qrouter-${R1}/fip ${FIP}`).and.include('no DNAT rule');
    expect(lines[detail + 2]).to.equal(`         → ssh 198.18.0.11 'sudo ip netns exec qrouter-${R1} iptables-save -t nat'`);
    expect(lines[lines.length - 1]).to.equal('3 checks · 7 pass · 1 fail · nodes: 3/3 reachable · FAIL');
    // passing subjects are counted, not listed
    expect(out).to.not.include(`net2/qrouter-${R1}`);
    expect(out).not.to.include('\x1b[');
  });

  it('a healthy run is the per-check lines and the summary only', () => {
    const out = renderTable(makeHistory()[0]);
    expect(out.trimEnd().split('\n')).to.have.length(1 + 3 + 2);
    expect(out).to.match(/3 checks · 8 pass · 0 fail · nodes: 3\/3 reachable · PASS\n$/);
  });

  it('--all adds every check × subject, pass rows too, failures first', () => {
    const out = renderTable(makeHistory()[1], { all: true });
    const rows = out.split('\n').filter((l) => l.startsWith('│') && !l.includes('verdict'));
    expect(rows).to.have.length(8);
    expect(rows[0]).to.include('nat-fip-rules').and.include('fail').and.include('no DNAT rule');
    expect(rows.slice(1).every((r) => /│ pass\s+│/.test(r))).to.equal(true);
  });

  it('--failures-only leaves the all-pass checks out of the per-check lines, still counted in the summary', () => {
    const out = renderTable(makeHistory()[1], { failuresOnly: true });
    expect(out).to.not.match(/^l3ha-single-primary /m);
    expect(out).to.match(/^nat-fip-rules /m);
    expect(out).to.include('3 checks · 7 pass · 1 fail');
  });

  it('colours verdicts only when asked', () => {
    expect(renderTable(makeHistory()[1], { color: true })).to.include('\x1b[31mfail\x1b[0m');
    expect(renderTable(makeHistory()[1], { color: false })).to.not.include('\x1b[');
  });

  it('colour: a TTY, no --no-color, no NO_COLOR', () => {
    expect(wantsColor(true, {}, undefined)).to.equal(true);
    expect(wantsColor(false, {}, undefined), 'off a TTY').to.equal(false);
    expect(wantsColor(undefined, {}, undefined), 'off a TTY').to.equal(false);
    expect(wantsColor(true, { NO_COLOR: '1' }, undefined), 'NO_COLOR').to.equal(false);
    expect(wantsColor(true, { NO_COLOR: '' }, undefined), 'NO_COLOR empty: no-color.org leaves colour on').to.equal(true);
    expect(wantsColor(true, {}, false), '--no-color').to.equal(false);
  });

  it('control characters from node output are shown escaped, never sent to the terminal', () => {
    const run = makeRun('x', '2024-05-05T02:00:00.000Z', [{ ...DNAT_MISSING, message: 'bad \x1b[2J name' }]);
    const out = renderTable(run, { color: true });
    expect(out).to.include('bad \\x1b[2J name').and.not.include('\x1b[2J');
  });

  it('shows a waived row as waived with its expiry, and lists unreachable nodes', () => {
    const run4 = makeHistory()[3];
    const waived = applyWaivers(run4, parseWaivers(WAIVERS_YAML, 'w.yaml'), new Date('2024-05-04T03:00:00Z'));
    const out = renderTable(waived, { failuresOnly: true });
    expect(out).to.match(/ {2}waived .*waived until 2024-06-01: net2 is replaced/);
    expect(out).to.match(/^check .* waived .*verdict$/m);
    expect(out).to.include('· 1 waived ·').and.include('PASS');

    const down = makeRun('x', '2024-05-05T02:00:00.000Z', [DNAT_MISSING]);
    down.nodes[2] = { ...down.nodes[2], reachable: false, reason: 'auth', message: 'Permission denied (publickey)' };
    expect(renderTable(down)).to.include('unreachable: cmp1 (198.18.0.21) auth: Permission denied (publickey)').and.include('nodes: 2/3 reachable');
  });
});

describe('report: nextStepOf (the command to look closer)', () => {
  it('has a builder for every check of the registry and node-reachable', () => {
    expect([...NEXT_STEP_CHECKS].sort()).to.deep.equal(['node-reachable', ...CHECK_IDS].sort());
  });

  it('names the node by address and quotes the remote command as one word', () => {
    expect(nextStepOf({ checkId: 'keepalived-config', subject: { node: 'net2', namespace: `qrouter-${R1}` }, address: '198.18.0.12' })).to.equal(
      `ssh 198.18.0.12 'sudo cat /var/lib/neutron/ha_confs/${R1}/keepalived.conf'`,
    );
    expect(nextStepOf({ checkId: 'l3ha-single-primary', subject: { router: R1 } })).to.equal(`openstack network agent list --router ${R1} --long`);
    expect(nextStepOf({ checkId: 'upstream-neighbour', subject: { node: 'upstream', floatingIp: FIP }, address: '198.18.0.2' })).to.equal(`ssh 198.18.0.2 'sudo ip neigh show to ${FIP}'`);
  });

  it('nova-network and API rows get a read-only step on the host the row names (issue 9, --cloud)', () => {
    expect(nextStepOf({ checkId: 'nova-metadata', subject: { node: 'net1' }, address: '198.18.0.11' })).to.equal(`ssh 198.18.0.11 'sudo iptables-save -t nat'`);
    expect(nextStepOf({ checkId: 'nova-floating-ip', subject: { node: 'cmp1', floatingIp: FIP }, address: '198.18.0.21' })).to.equal(`ssh 198.18.0.21 'sudo ip -o addr show to ${FIP}'`);
    expect(nextStepOf({ checkId: 'api-dataplane-agreement', subject: { router: R1 } })).to.equal(`openstack network agent list --router ${R1} --long`);
    expect(nextStepOf({ checkId: 'api-dataplane-agreement', subject: { floatingIp: FIP } })).to.equal(`openstack floating ip show ${FIP}`);
    expect(nextStepOf({ checkId: 'nova-network-spof', subject: { node: 'net1' } })).to.equal(undefined);
  });

  it('a hostile name from a node stays one argument (copy-paste runs exactly what is shown)', () => {
    const step = nextStepOf({ checkId: 'nat-rules', subject: { node: 'net1', namespace: "qrouter-x';touch /tmp/p;'" }, address: '198.18.0.11' })!;
    // the local shell hands ssh one word; the remote shell reads the namespace as one quoted word
    expect(step.startsWith("ssh 198.18.0.11 '")).to.equal(true);
    expect(step).to.not.match(/[^'\\];touch/);
  });

  it('an unknown check or a subject without what the command needs gives no step', () => {
    expect(nextStepOf({ checkId: 'no-such-check', subject: { node: 'net1' } })).to.equal(undefined);
    expect(nextStepOf({ checkId: 'ovs-dead-vlan', subject: { node: 'net1' } })).to.equal(undefined);
  });
});
