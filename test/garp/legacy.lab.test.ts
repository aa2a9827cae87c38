import { expect } from 'chai';
import * as path from 'node:path';
import { associateFip, disassociateFip, readLabState, labPaths } from '../../src/lab';
import { labFipTrigger } from '../../src/garp/lab-adapter';
import { toGarpVerification } from '../../src/garp/to-garp-verification';
import { buildGarpRunResult } from '../../src/garp/build-run-result';
import { validateRunResult } from '../../src/report';
import { diffSavedPcap, mkdir, useGarpLab } from './lab-session';

const PROFILE = 'neutron-legacy';
const FIP = '203.0.113.102';
const PREVIOUS_OWNER = '02:00:5e:00:00:99';

describe('garp verify on neutron-legacy @lab', function () {
  this.timeout(120_000);
  const lab = useGarpLab(PROFILE);
  const associated = (): boolean => readLabState(labPaths(lab().stateDir))!.fips[FIP] !== undefined;
  afterEach(async () => {
    if (lab.current() && associated()) await disassociateFip({ stateDir: lab().stateDir, fip: FIP });
  });
  /** the upstream holds the FIP with a MAC nobody owns (as after a previous owner) */
  const poisonUpstream = (): Promise<string> => lab().ssh('upstream', `ip neigh replace ${FIP} lladdr ${PREVIOUS_OWNER} dev ext0 nud stale`);

  it('a normal association: PASS, 3 × (REQUEST + REPLY) from net1 qg-, upstream learnt the qg- MAC; pcaps decode like tcpdump', async () => {
    const action = { kind: 'associate' as const, instance: 'vm2' };
    const pcapDir = mkdir(path.join(lab().tmp, 'assoc'));
    const r = await lab().verify({ fip: FIP, action, trigger: labFipTrigger(lab().stateDir, FIP, action), pcapDir });
    expect(r.status, r.message).to.equal('PASS');
    const counted = r.verdict.timeline.filter((e) => e.role === 'counted');
    expect(counted.map((e) => e.kind)).to.deep.equal(['garp-request', 'garp-reply', 'garp-request', 'garp-reply', 'garp-request', 'garp-reply']);
    expect(counted.every((e) => e.node === 'net1')).to.equal(true);
    expect(r.upstream?.ok, r.upstream?.message).to.equal(true);
    expect(r.wire.find((w) => w.role === 'receiver')?.garps).to.equal(6);
    const run = buildGarpRunResult({ profile: PROFILE, inventory: lab().inventory, inventoryDigest: 'x', startedAt: r.startedAt, finishedAt: r.finishedAt, nodes: [], garp: [toGarpVerification(r)] });
    expect(validateRunResult(run).errors).to.deep.equal([]);
    expect(run.garp![0]).to.include({ fip: FIP, verdict: 'pass' });
    // differential: what haprobe streamed and decoded vs tcpdump -r of the same bytes
    expect(r.pcapFiles.length).to.equal(3);
    for (const f of r.pcapFiles) {
      const d = diffSavedPcap(f);
      expect(d.diffs, f).to.deep.equal([]);
      expect(d.frames.length, f).to.equal(r.sources.find((s) => f.includes(s.device.replace(/[^A-Za-z0-9_.-]+/g, '_')) && f.includes(s.node))!.frames);
    }
  });

  it('a disassociation: PASS when nothing announces the FIP afterwards', async () => {
    await associateFip({ stateDir: lab().stateDir, fip: FIP, instance: 'vm2', noGarp: true });
    const action = { kind: 'disassociate' as const };
    const r = await lab().verify({ fip: FIP, action, trigger: labFipTrigger(lab().stateDir, FIP, action), deadlineMs: 2000 });
    expect(r.status, r.message).to.equal('PASS');
  });

  it('fault missing-garp: FAIL no-garp; the upstream still points at the previous owner', async () => {
    await poisonUpstream();
    const action = { kind: 'associate' as const, instance: 'vm2' };
    const r = await lab().verify({ fip: FIP, action, trigger: labFipTrigger(lab().stateDir, FIP, action, 'none'), deadlineMs: 4000 });
    expect(r.status).to.equal('FAIL');
    expect(r.cause).to.equal('no-garp');
    expect(r.upstream?.ok).to.equal(false);
    expect(r.upstream?.entry?.mac).to.equal(PREVIOUS_OWNER);
  });

  it('fault wrong-sender-garp: FAIL wrong-sender-ip ("who-has FIP tell gw"); upstream still wrong', async () => {
    await poisonUpstream();
    const action = { kind: 'associate' as const, instance: 'vm2' };
    const r = await lab().verify({ fip: FIP, action, trigger: labFipTrigger(lab().stateDir, FIP, action, 'wrong-sender'), deadlineMs: 5000 });
    expect(r.status).to.equal('FAIL');
    expect(r.cause).to.equal('wrong-sender-ip');
    expect(r.message).to.match(/tell 203\.0\.113\.10/);
    expect(r.upstream?.ok).to.equal(false);
  });
});
