import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { quoteShell } from '../../src/transport/quote-shell';
import { PID_MARKER, wrapCommand, wrapSudo } from '../../src/transport/wrap-command';
import { PidMarkerFilter } from '../../src/transport/pid-marker-filter';
import { detectSudoRefusal } from '../../src/transport/detect-sudo-refusal';

const STDERR_FILE = `${os.tmpdir()}/haprobe-wrap-stderr-${process.pid}`;
const TRICKY = `printf '%s|' "it's" 'a "b"' '$HOME' '\\n' '\`x\`' "$((1+1))"`;

function sh(script: string): { stdout: string; stderr: string } {
  const out = execFileSync('/bin/sh', ['-c', `{ ${script}; } 2>${STDERR_FILE}`], { encoding: 'utf8' });
  const stderr = fs.readFileSync(STDERR_FILE, 'utf8');
  fs.rmSync(STDERR_FILE, { force: true });
  return { stdout: out, stderr };
}

describe('transport: command wrapping', () => {
  const direct = execFileSync('/bin/sh', ['-c', TRICKY], { encoding: 'utf8' });

  it('quoteShell survives quotes, $, backslashes and backticks', () => {
    expect(execFileSync('/bin/sh', ['-c', `eval ${quoteShell(TRICKY)}`], { encoding: 'utf8' })).to.equal(direct);
  });

  it('wrapCommand prints the pid marker first and runs the command unchanged', () => {
    const r = sh(wrapCommand(TRICKY, false));
    expect(r.stdout).to.equal(direct);
    expect(r.stderr).to.match(new RegExp(`^${PID_MARKER}\\d+\\n$`));
  });

  it('wrapSudo quotes so that sudo -n sh -c gets the command intact (sudo stubbed as a function)', () => {
    const stub = 'sudo() { shift; "$@"; };';
    expect(sh(`${stub} ${wrapSudo(TRICKY)}`).stdout).to.equal(direct);
    expect(sh(`${stub} ${wrapCommand(TRICKY, true)}`).stdout).to.equal(direct);
  });

  it('PidMarkerFilter strips the marker even when split across chunks, and nothing else', () => {
    const f = new PidMarkerFilter();
    const parts = [`${PID_MARKER.slice(0, 5)}`, `${PID_MARKER.slice(5)}12`, '34\nreal ', 'stderr\n'];
    const out = Buffer.concat(parts.map((p) => f.push(Buffer.from(p)))).toString();
    expect(f.pid).to.equal(1234);
    expect(out).to.equal('real stderr\n');
    const g = new PidMarkerFilter();
    expect(g.push(Buffer.from('sudo: a password is required\n')).toString()).to.equal('sudo: a password is required\n');
    expect(g.pid).to.equal(undefined);
  });

  it('detectSudoRefusal knows sudo refusals and nothing else', () => {
    expect(detectSudoRefusal(1, 'sudo: a password is required\n')?.reason).to.equal('sudo');
    expect(detectSudoRefusal(1, 'stack is not in the sudoers file.  This incident will be reported.\n')?.reason).to.equal('sudo');
    expect(detectSudoRefusal(127, 'sh: 1: sudo: not found\n')?.message).to.match(/not installed/);
    expect(detectSudoRefusal(1, 'grep: a password is required\n')).to.equal(undefined);
    expect(detectSudoRefusal(0, 'sudo: a password is required\n')).to.equal(undefined);
  });
});
