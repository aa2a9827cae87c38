import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { disassociateFip } from '../../src/lab';
import { judgeGarp } from '../../src/capture/verdict';
import { labFipTrigger } from '../../src/garp/lab-adapter';
import { decideStatus } from '../../src/garp/verify-garp';
import { diffSavedPcap, mkdir, useGarpLab } from './lab-session';

const PROFILE = 'neutron-dvr';
const FIP = '203.0.113.102';

describe('garp verify on neutron-dvr @lab', function () {
  this.timeout(120_000);
  const lab = useGarpLab(PROFILE);

  it('the G-ARP for a FIP comes from the fg- of the instance\'s compute (PASS); the same frames judged against the other compute are wrong-node', async () => {
    await disassociateFip({ stateDir: lab().stateDir, fip: FIP });
    const pcapDir = mkdir(path.join(lab().tmp, 'dvr'));
    const action = { kind: 'associate' as const, instance: 'vm2' };
    const r = await lab().verify({ fip: FIP, action, trigger: labFipTrigger(lab().stateDir, FIP, action), pcapDir });
    expect(r.status, r.message).to.equal('PASS');
    const host = r.plan.instance!.host;
    expect(r.plan.expected.node).to.equal(host);
    expect(r.plan.expected.namespace).to.match(/^fip-/);
    expect(r.plan.expected.device).to.match(/^fg-/);
    expect(r.upstream?.ok, r.upstream?.message).to.equal(true);

    // the origin capture of the right compute, relabelled as if the other compute had sent it
    const originFile = r.pcapFiles.find((f) => path.basename(f).startsWith(`${host}_ns_fip-`))!;
    const { frames, diffs } = diffSavedPcap(originFile);
    expect(diffs).to.deep.equal([]);
    const other = r.plan.candidates.find((c) => c.node !== host)!;
    const swapped = { ...r.plan, expected: other };
    const exp = { ip: FIP, mac: other.mac, node: other.node, device: `ns:${other.namespace}:${other.device}`, pattern: r.plan.pattern, deadlineMs: 10_000 };
    const labelled = frames.map((f) => ({ ...f, node: host, device: `ns:${r.plan.expected.namespace}:${r.plan.expected.device}` }));
    const v = judgeGarp(labelled, exp, { windowStart: frames[0].ts - 0.1, final: true });
    const shown = decideStatus(v, action, labelled, FIP, frames[0].ts - 0.1, swapped);
    expect(shown.status).to.equal('FAIL');
    expect(shown.cause).to.equal('wrong-node');
    expect(shown.message).to.include(host);
    // keep these real frames for the pure test (test/garp/dvr-frames.test.ts)
    if (process.env.HAPROBE_SAVE_FIXTURES) fs.copyFileSync(originFile, path.resolve(__dirname, '../../../test/garp/fixtures/dvr-fg-associate.pcap'));
  });
});
