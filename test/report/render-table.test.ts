import { expect } from 'chai';
import { applyWaivers } from '../../src/report/apply-waivers';
import { parseWaivers } from '../../src/report/load-waivers';
import { renderTable } from '../../src/report/render-table';
import { DNAT_MISSING, makeHistory, makeRun, R1, WAIVERS_YAML } from './fixtures';

describe('report: renderTable', () => {
  it('puts failures first and ends with the summary line', () => {
    const run2 = makeHistory()[1];
    const out = renderTable(run2);
    const lines = out.trimEnd().split('\n');
    const firstBody = lines.find((l) => /\b(pass|fail)\b/.test(l) && !l.includes('verdict'));
    expect(firstBody).to.include('nat-fip-rules').and.include('fail').and.include('no DNAT rule');
    expect(lines[lines.length - 1]).to.equal('3 checks · 7 pass · 1 fail · nodes: 3/3 reachable · FAIL');
    expect(out).to.include(`qrouter-${R1}/fip 203.0.113.10`);
    expect(out).not.to.include('\x1b[');
  });

  it('colours verdicts only when asked', () => {
    expect(renderTable(makeHistory()[1], { color: true })).to.include('\x1b[31mfail\x1b[0m');
  });

  it('shows a waived row as waived with its expiry, and lists unreachable nodes', () => {
    const run4 = makeHistory()[3];
    const waived = applyWaivers(run4, parseWaivers(WAIVERS_YAML, 'w.yaml'), new Date('2024-05-04T03:00:00Z'));
    const out = renderTable(waived, { failuresOnly: true });
    expect(out).to.match(/waived .*waived until 2024-06-01: net2 is replaced/);
    expect(out).to.include('· 1 waived ·').and.include('PASS');

    const down = makeRun('x', '2024-05-05T02:00:00.000Z', [DNAT_MISSING]);
    down.nodes[2] = { ...down.nodes[2], reachable: false, reason: 'auth', message: 'Permission denied (publickey)' };
    expect(renderTable(down)).to.include('unreachable: cmp1 (198.18.0.21) auth: Permission denied (publickey)').and.include('nodes: 2/3 reachable');
  });
});
