import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runMultiNicDrill } from '../../src/cli/commands/drill';
import { readRunFile } from '../../src/report';
import { describeRunAgainstLab } from './run-faults';

// issue 9, neutron-multinic-aa (seed 001): healthy run clean, each lab fault caught by its check, clean after heal;
// the drill (client behind haproxy while one network node is down) with --repeat and --output like every drill
describeRunAgainstLab('neutron-multinic-aa', ['mn-same-node', 'mn-no-policy-rule', 'mn-backend-down'], {
  extra: (lab) => {
    it('drill failover -p neutron-multinic-aa --repeat 3 --output: 3 drills in the run file, the distribution printed', async function () {
      this.timeout(300_000);
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'haprobe-mnaa-drill-'));
      try {
        let text = '';
        const r = await runMultiNicDrill({ inventory: path.join(lab(), 'inventory.yaml'), facts: path.join(lab(), 'facts.json'), profile: 'neutron-multinic-aa', fault: 'stop-node', yesIMeanIt: true, format: 'table', repeat: '3', output: out },
          (t) => (text += t), () => undefined);
        console.log(`      ${text.split('\n').filter((l) => /drill\(s\)|outage|^\s+\d/.test(l)).join('\n      ')}`);
        expect(r.runs.map((x) => x.drill.verdict), text).to.deep.equal(['pass', 'pass', 'pass']);
        expect(text).to.include('--- drill 3/3').and.include('3 drill(s), no takeover in this design').and.include('surviving path outage: min');
        for (const x of r.runs) {
          expect(x.drill.paths![1]!.target).to.equal('haproxy 203.0.113.1:8080');
          expect(x.drill.events.some((e) => e.kind === 'path-down'), text).to.equal(true);
        }
        const files = fs.readdirSync(out).filter((f) => f.endsWith('.json'));
        expect(files).to.have.length(1);
        const run = readRunFile(path.join(out, files[0]!));
        expect(run.profile).to.equal('neutron-multinic-aa');
        expect(run.drills!.map((d) => d.fault)).to.deep.equal(['stop-node net1', 'stop-node net1', 'stop-node net1']);
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    });
  },
});
