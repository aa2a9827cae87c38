import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { judgeDrill } from '../../src/garp/judge-drill';
import { sleepOrAbort, untilAborted } from '../../src/garp/abortable';
import { interrupt, onInterrupt } from '../../src/interrupt';

describe('hardening: drill verdicts and cancellation (pure parts)', () => {
  const table: { name: string; t: Parameters<typeof judgeDrill>[0]; verdict: string; message: RegExp }[] = [
    { name: 'within budget', t: { newPrimary: 'net2', newPrimaryMs: 3000, firstGarpMs: 3100 }, verdict: 'pass', message: /new primary net2 after 3000 ms, first G-ARP after 3100 ms, within 10000 ms/ },
    { name: 'over budget', t: { newPrimary: 'net2', newPrimaryMs: 12000, firstGarpMs: 12100 }, verdict: 'fail', message: /new primary after 12000 ms > budget.*first G-ARP after 12100 ms > budget/ },
    { name: 'no failover', t: { newPrimaryMs: null, firstGarpMs: null }, verdict: 'fail', message: /no new primary within the watch window; no G-ARP from a new primary's qg-/ },
    { name: 'cancelled before the fault', t: { newPrimaryMs: null, firstGarpMs: null, cancelled: { reason: 'SIGINT', phase: 'before-fault' } }, verdict: 'fail', message: /^cancelled \(SIGINT\) before the fault: nothing was injected/ },
    {
      name: 'cancelled after the fault, even with figures inside the budget',
      t: { newPrimary: 'net2', newPrimaryMs: 3000, firstGarpMs: 3100, cancelled: { reason: 'SIGTERM', phase: 'after-fault' }, restored: ['lab restore: 1 failover(s) undone'] },
      verdict: 'fail', message: /^cancelled \(SIGTERM\) after the fault.*new primary net2 after 3000 ms.*restored: lab restore/,
    },
  ];
  for (const c of table) {
    it(`judgeDrill: ${c.name}`, () => {
      const j = judgeDrill(c.t, 10_000);
      expect(j.verdict).to.equal(c.verdict);
      expect(j.message).to.match(c.message);
    });
  }

  it('sleepOrAbort and untilAborted end as soon as the signal aborts', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort('SIGTERM'), 30);
    await Promise.all([sleepOrAbort(10_000, ac.signal), untilAborted(ac.signal)]);
    expect(Date.now() - t0).to.be.below(1000);
  });

  it('library mode: onInterrupt listens to SIGINT, SIGTERM and SIGHUP only while registered, and runs each handler once', () => {
    const before = ['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s));
    const seen: string[] = [];
    const off = onInterrupt((r) => seen.push(r));
    expect(['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s))).to.deep.equal(before.map((n) => n + 1));
    process.emit('SIGTERM', 'SIGTERM');
    interrupt('SIGINT');
    expect(seen).to.deep.equal(['SIGTERM']);
    off();
    expect(['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s))).to.deep.equal(before);
  });

  it('cli: an unhandled rejection is reported, runs the registered cleanups, and exits 4', () => {
    const dist = path.resolve(__dirname, '../../src');
    const script = `
      const { main } = require(${JSON.stringify(path.join(dist, 'cli/main.js'))});
      const { onInterrupt } = require(${JSON.stringify(path.join(dist, 'interrupt.js'))});
      onInterrupt((r) => process.stderr.write('cleanup ran: ' + r + '\\n'));
      // a stand-in command that runs for 300 ms, long enough for a stray rejection to hit it
      require(${JSON.stringify(path.join(dist, 'cli/commands/index.js'))}).COMMANDS.push((p) => p.command('slow').action(() => new Promise((r) => setTimeout(r, 300))));
      void main(['node', 'haprobe', 'slow']);
      setTimeout(() => Promise.reject(new Error('boom')), 20);
    `;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).to.include('haprobe: internal error (unhandled rejection): Error: boom');
    expect(r.stderr).to.include('cleanup ran: fatal error');
    expect(r.status, r.stderr).to.equal(4);
  });
});
