import * as fs from 'node:fs';
import * as path from 'node:path';
import { HaprobeError } from '../errors';

/**
 * The hp-* names (namespaces, hp-mgmt, 198.18.0.0/24) are machine-wide, so only one lab can
 * exist at a time. This file says which state dir owns them: `up` takes it (O_EXCL), `down`
 * of another state dir leaves a live owner's lab alone instead of sweeping every hp-* name.
 */
export const OWNER_FILE = '/run/haprobe-lab.owner';

export function readOwner(): string | undefined {
  try {
    return fs.readFileSync(OWNER_FILE, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** the owner's lab still exists (its lab.json is there) */
export function ownerIsLive(owner: string): boolean {
  return fs.existsSync(path.join(owner, 'lab.json'));
}

/** take the machine-wide lab names for `stateDir`, or throw if another live lab holds them */
export function claimOwner(stateDir: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(OWNER_FILE, stateDir + '\n', { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readOwner();
      if (owner === stateDir) return;
      if (owner && ownerIsLive(owner)) {
        throw new HaprobeError('lab', `another lab is up on this machine (state dir ${owner})`, {
          hint: `haprobe lab --state-dir ${owner} down`,
        });
      }
      fs.rmSync(OWNER_FILE, { force: true });
    }
  }
  throw new HaprobeError('lab', `could not claim ${OWNER_FILE}`);
}

/** release the names if `stateDir` owns them (or nobody live does) */
export function releaseOwner(stateDir: string): void {
  const owner = readOwner();
  if (owner === undefined) return;
  if (owner === stateDir || !ownerIsLive(owner)) fs.rmSync(OWNER_FILE, { force: true });
}

/** may `down` of `stateDir` sweep every hp-* name? Only when no other live lab owns them. */
export function maySweepPrefix(stateDir: string): boolean {
  const owner = readOwner();
  return owner === undefined || owner === stateDir || !ownerIsLive(owner);
}

/**
 * Host directories `up` created (mount points such as /var/lib/neutron), kept machine-wide beside
 * the owner file as well as in lab.json, so a `down` that has lost lab.json still removes them.
 */
export const HOST_DIRS_FILE = '/run/haprobe-lab.host-dirs';

export function recordHostDir(dir: string): void {
  fs.appendFileSync(HOST_DIRS_FILE, dir + '\n');
}

/** the recorded directories (and forget them) */
export function takeRecordedHostDirs(): string[] {
  let text = '';
  try {
    text = fs.readFileSync(HOST_DIRS_FILE, 'utf8');
  } catch {
    return [];
  }
  fs.rmSync(HOST_DIRS_FILE, { force: true });
  return text.split('\n').filter((l) => l.trim() !== '');
}
