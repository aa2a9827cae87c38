import * as fs from 'node:fs';
import * as path from 'node:path';
import { labDown } from '../../src/lab/down';
import { OWNER_FILE } from '../../src/lab/owner';
import { neutronLabDown } from '../../src/lab/neutron/down';
import { labEngineOf } from '../../src/lab/engine-of-dir';
import { NEUTRON_OWNER_FILE } from '../../src/lab/neutron/names';

/**
 * Mocha root hook (loaded by .mocharc.json `require`): before the first test, remove the labs an
 * INTERRUPTED earlier test run left behind (a killed session, a CI job cut at its limit). Their
 * lab.json and owner file outlive the runner, and every suite after them failed with "another lab
 * is up on this machine" (stop 19's CI run: three real-engine suites refused by the fault suite's
 * half-built lab).
 *
 * Only a test suite's own state dirs are touched (/var/tmp/haprobe-*test*, the names the suites
 * use), and only when no other mocha process runs on the machine: a lab another test run is using
 * right now (a second worktree) is left alone, and an operator's own lab never matches the names.
 */
const TEST_DIR = /^haprobe-[a-z0-9-]*test/;

function otherMochaRunning(): boolean {
  const me = new Set<number>();
  for (let pid = process.pid; pid > 1;) {
    me.add(pid);
    try {
      pid = Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]);
    } catch {
      break;
    }
  }
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || me.has(pid)) continue;
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('mocha')) return true;
    } catch {
      // gone meanwhile
    }
  }
  return false;
}

/** test-named state dirs that still hold a lab.json, with the engine that built each */
function leftoverTestLabs(): { dir: string; engine: 'hand-built' | 'neutron' }[] {
  const dirs = new Set<string>();
  for (const file of [OWNER_FILE, NEUTRON_OWNER_FILE]) {
    try {
      dirs.add(fs.readFileSync(file, 'utf8').trim());
    } catch {
      // no owner
    }
  }
  try {
    for (const entry of fs.readdirSync('/var/tmp')) dirs.add(path.join('/var/tmp', entry));
  } catch {
    // no /var/tmp
  }
  const out: { dir: string; engine: 'hand-built' | 'neutron' }[] = [];
  for (const dir of dirs) {
    if (!dir.startsWith('/var/tmp/') || !TEST_DIR.test(path.basename(dir))) continue;
    // only a dir with lab.json (an operator's half-removed dir is never swept)
    if (!fs.existsSync(path.join(dir, 'lab.json'))) continue;
    const engine = labEngineOf(dir);
    if (engine === undefined) continue;
    out.push({ dir, engine: engine === 'neutron' ? 'neutron' : 'hand-built' });
  }
  return out;
}

/** Take down every lab an interrupted test run left; true when there was one. */
export async function removeLeftoverTestLabs(): Promise<boolean> {
  const labs = leftoverTestLabs();
  for (const { dir, engine } of labs) {
    process.stderr.write(`  (removing the ${engine} lab an interrupted test run left in ${dir})\n`);
    if (engine === 'neutron') await neutronLabDown({ stateDir: dir });
    else await labDown({ stateDir: dir });
  }
  return labs.length > 0;
}

/** Set by the suite runner (run-suite.ts), which removes leftovers once before starting its mochas. */
export const LEFTOVERS_REMOVED_ENV = 'HAPROBE_TEST_LEFTOVERS_REMOVED';

export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    if (process.getuid?.() !== 0 || process.env[LEFTOVERS_REMOVED_ENV] === '1') return;
    if (leftoverTestLabs().length === 0 || otherMochaRunning()) return;
    this.timeout(600_000);
    await removeLeftoverTestLabs();
  },
};
