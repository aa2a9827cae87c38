import { expect } from 'chai';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { isAlive, isRunning } from '../../src/lab/processes';

describe('lab processes: isRunning vs isAlive', () => {
  it('a zombie answers kill -0 (isAlive) but does not run (isRunning); a reaped one does not run either', async () => {
    // `sleep 0` exits at once under a parent that exec'd `sleep 3` and never reaps it: a zombie
    const parent = spawn('sh', ['-c', 'sleep 0 & exec sleep 3'], { stdio: 'ignore' });
    try {
      let zombie: number | undefined;
      for (let i = 0; i < 100 && zombie === undefined; i++) {
        await new Promise((r) => setTimeout(r, 20));
        const kids = fs.readFileSync(`/proc/${parent.pid}/task/${parent.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
        zombie = kids.find((k) => / Z /.test(fs.readFileSync(`/proc/${k}/stat`, 'utf8')));
      }
      expect(zombie, 'a zombie child of sleep 3').to.be.a('number');
      expect(isAlive(zombie!)).to.equal(true);
      expect(isRunning(zombie!)).to.equal(false);
      expect(isRunning(parent.pid!)).to.equal(true);
    } finally {
      parent.kill('SIGKILL');
    }
    await new Promise((r) => parent.once('exit', r));
    expect(isRunning(parent.pid!)).to.equal(false);
  });
});
