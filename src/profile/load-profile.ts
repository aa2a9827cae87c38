import * as path from 'node:path';
import { CHECK_IDS } from '../../checks/index';
import { HaprobeError } from '../errors';
import { deepMerge, mergeProfileDocs } from './merge-profile';
import { profilesDir } from './profiles-dir';
import { indexProfiles, profileResolver } from './profile-file';
import { readYamlFile } from './read-profile-file';
import type { ProfileDoc, ProfileSummary, ResolvedProfile } from './types';
import { validateProfileDoc } from './validate-profile';

export interface LoadProfileOptions {
  /** site override file (YAML, same shape, every field optional) merged last */
  overrides?: string;
  /** profiles folder (default: the package's profiles/) */
  dir?: string;
}

/** Every profile of the folder, sorted by id (abstract ones included, flagged). */
export function listProfiles(opts: { dir?: string } = {}): ProfileSummary[] {
  const dir = opts.dir ?? profilesDir();
  return [...indexProfiles(dir)]
    .map(([id, file]) => {
      const doc = validateProfileDoc(readYamlFile(file), file, { checkIds: CHECK_IDS });
      return { id, title: doc.title ?? id, abstract: doc.abstract === true, file };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Loads a profile by id (profiles folder) or by path, merges its `extends` chain and the
 * site override file, and resolves each check's params = profile params + haMode, release
 * and roles + the check's own params. Errors: HaprobeError('profile') naming the file
 * (and field or line:col): unknown id (lists the known ones), unknown check, malformed
 * YAML, extends cycles.
 */
export function loadProfile(idOrPath: string, opts: LoadProfileOptions = {}): ResolvedProfile {
  const dir = opts.dir ?? profilesDir();
  const fileOf = profileResolver(dir);

  // walk the extends chain child → root, refusing cycles
  const chain: { file: string; doc: ProfileDoc }[] = [];
  let file = fileOf(idOrPath, undefined);
  for (;;) {
    if (chain.some((c) => c.file === file)) {
      const ids = [...chain.map((c) => c.doc.id ?? c.file), chain.find((c) => c.file === file)!.doc.id ?? file];
      throw new HaprobeError('profile', `extends cycle: ${ids.join(' → ')}`, { where: file });
    }
    const doc = validateProfileDoc(readYamlFile(file), file, { checkIds: CHECK_IDS });
    chain.push({ file, doc });
    if (!doc.extends) break;
    file = fileOf(doc.extends, file);
  }

  const rootFirst = [...chain].reverse();
  let merged: ProfileDoc = rootFirst[0]!.doc;
  for (const c of rootFirst.slice(1)) merged = mergeProfileDocs(merged, c.doc);
  merged = { ...merged, abstract: chain[0]!.doc.abstract ?? false };
  const sources = rootFirst.map((c) => c.file);

  if (opts.overrides) {
    const ofile = path.resolve(opts.overrides);
    const over = validateProfileDoc(readYamlFile(ofile), ofile, { checkIds: CHECK_IDS, partial: true });
    if (over.id !== undefined && over.id !== merged.id)
      throw new HaprobeError('profile', `override is for profile "${over.id}", not "${merged.id}"`, { where: `${ofile}: id` });
    if (over.extends !== undefined) throw new HaprobeError('profile', 'an override file cannot use "extends"', { where: `${ofile}: extends` });
    merged = mergeProfileDocs(merged, { ...over, id: merged.id }, { inheritAbstract: true });
    sources.push(ofile);
  }
  return resolve(merged, rootFirst.map((c) => c.doc.id!), sources);
}

function resolve(doc: ProfileDoc, extendsChain: string[], sources: string[]): ResolvedProfile {
  const shared: Record<string, unknown> = { ...(doc.params ?? {}) };
  if (doc.haMode !== undefined) shared['haMode'] = doc.haMode;
  if (doc.release !== undefined) shared['release'] = doc.release;
  shared['roles'] = doc.roles ?? {};
  const profile: ResolvedProfile = {
    id: doc.id!,
    title: doc.title ?? doc.id!,
    description: doc.description ?? '',
    abstract: doc.abstract === true,
    extendsChain,
    sources,
    roles: doc.roles ?? {},
    garp: { events: {}, ...(doc.garp ?? {}) } as ResolvedProfile['garp'],
    params: doc.params ?? {},
    checks: (doc.checks ?? [])
      .filter((c) => c.enabled !== false)
      .map((c) => ({ id: c.id, params: deepMerge(shared, c.params ?? {}) })),
  };
  if (doc.seed !== undefined) profile.seed = doc.seed;
  if (doc.haMode !== undefined) profile.haMode = doc.haMode;
  if (doc.release !== undefined) profile.release = doc.release;
  return profile;
}
