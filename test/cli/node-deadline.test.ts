import { expect } from 'chai';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/main';
import { parseCollectBudgets, parseNodeDeadline } from '../../src/cli/node-deadline';
import { MAX_TIMER_MS } from '../../src/cli/options';
import { HaprobeError } from '../../src/errors';
import { runCli } from '../helpers/run-cli';
import { useSilentNode } from '../helpers/silent-node';

/**
 * Issue 10: every command that reads many nodes (run, where, doctor) has the same
 * --node-deadline: one definition (src/cli/node-deadline.ts), same default and messages. The
 * deadline's scheduling is tested in test/collect/node-deadline.test.ts; here, the flag.
 */

function usageError(fn: () => unknown): HaprobeError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(HaprobeError);
    return err as HaprobeError;
  }
  throw new Error('no error thrown');
}


describe('--node-deadline: one flag for run, where and doctor (issue 10)', () => {
  it('unset: --timeout + 10 s; set: its seconds', () => {
    expect(parseNodeDeadline(undefined, 120_000)).to.equal(130_000);
    expect(parseNodeDeadline('5', 120_000)).to.equal(5_000);
    expect(parseCollectBudgets({ concurrency: '16', timeout: '120' })).to.deep.equal({ concurrency: 16, timeoutMs: 120_000, deadlineMs: 130_000 });
    expect(parseCollectBudgets({ concurrency: '2', timeout: '30', nodeDeadline: '45' })).to.deep.equal({ concurrency: 2, timeoutMs: 30_000, deadlineMs: 45_000 });
  });

  it('the default stays within Node\'s timer limit (an overflowing timer fires at once: every node timed out)', () => {
    expect(parseNodeDeadline(undefined, 2147483 * 1000)).to.equal(MAX_TIMER_MS);
  });

  for (const bad of ['0', '-1', '1.5', '1e3', 'abc', ''])
    it(`--node-deadline ${JSON.stringify(bad)} is a usage error naming the flag`, () => {
      const err = usageError(() => parseCollectBudgets({ concurrency: '16', timeout: '120', nodeDeadline: bad }));
      expect(err.code).to.equal('usage');
      expect(err.format()).to.include('--node-deadline').and.include('must be a positive whole number');
    });

  it('above the timer limit: the same message as --timeout', () => {
    expect(usageError(() => parseNodeDeadline('2147484', 1000)).format()).to.match(/--node-deadline.*must be at most 2147483 \(Node's timer limit\)/);
  });

  it('run, where and doctor offer it with the same help line', () => {
    const program = buildProgram();
    const helpOf = (name: string): string | undefined =>
      program.commands.find((c: Command) => c.name() === name)?.options.find((o) => o.long === '--node-deadline')?.description;
    expect(helpOf('run')).to.be.a('string').and.include('--timeout + 10');
    expect(helpOf('where')).to.equal(helpOf('run'));
    expect(helpOf('doctor')).to.equal(helpOf('run')!.replace('connect + snapshot', 'connect + probe'));
  });

  describe('where, live (a silent "sshd" on this machine: the SSH banner never comes)', () => {
    const node = useSilentNode('cmp9', 'compute');
    const { sockets } = node;

    it('a bad --node-deadline is exit 2 before any node is contacted', async () => {
      const r = await runCli(['where', '192.0.2.10', '-i', node.inventory(), '--node-deadline', '0']);
      expect(r.status, r.stderr).to.equal(2);
      expect(r.stderr).to.include('--node-deadline').and.include('must be a positive whole number');
      expect(sockets.size).to.equal(0);
    });

    it('the node that never answers is given up at its deadline: one line naming it, exit 3', async () => {
      const r = await runCli(['where', '192.0.2.10', '-i', node.inventory(), '--node-deadline', '1']);
      expect(r.status, r.stderr).to.equal(3);
      expect(r.stderr, r.stderr).to.match(/cmp9 not read: timeout: node cmp9: per-node deadline of 1 s passed after 1\.\d s: no SSH session yet/);
      expect(r.ms, 'ssh2 alone would wait its 10 s connect timeout').to.be.below(8_000);
    });

    it('doctor: the node that never answers is an ssh fail at its deadline naming the step, exit 3', async () => {
      const r = await runCli(['doctor', '-i', node.inventory(), '--node-deadline', '1', '--format', 'json']);
      expect(r.status, r.stderr).to.equal(3);
      const ssh = (JSON.parse(r.stdout) as { rows: Array<{ node: string; check: string; status: string; detail: string }> }).rows.find((x) => x.check === 'ssh');
      expect(ssh).to.include({ node: 'cmp9', status: 'fail' });
      expect(ssh!.detail).to.match(/^timeout: node cmp9: per-node deadline of 1 s passed after 1\.\d s: no SSH session yet/);
      expect(r.ms, 'ssh2 alone would wait its 10 s connect timeout').to.be.below(8_000);
    });

    it('doctor: a bad --node-deadline is exit 2 naming the flag', async () => {
      const r = await runCli(['doctor', '-i', node.inventory(), '--node-deadline', 'soon']);
      expect(r.status, r.stderr).to.equal(2);
      expect(r.stderr).to.include('--node-deadline');
    });
  });
});
