import * as fs from 'node:fs';
import * as path from 'node:path';
import { HaprobeError } from '../errors';
import { readYamlFile } from './read-profile-file';

/**
 * Which file a profile reference names: a path, or an id of the profiles folder. Kept apart from
 * load-profile (which loads the checks to validate a profile) so that `haprobe run` can tell a
 * mistyped -p from a real one before it opens any connection (issue 10), at the cost of one file.
 */

export const isProfilePath = (s: string): boolean => s.includes('/') || s.includes(path.sep) || /\.ya?ml$/i.test(s);

function profileFiles(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    throw new HaprobeError('profile', 'cannot read the profiles folder', { where: dir, cause: err });
  }
  return names.filter((n) => /\.ya?ml$/i.test(n)).sort().map((n) => path.join(dir, n));
}

/** id → file of every profile in the folder (the id is the file's `id:` field) */
export function indexProfiles(dir: string): Map<string, string> {
  const index = new Map<string, string>();
  for (const file of profileFiles(dir)) {
    const raw = readYamlFile(file);
    const id = (raw as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') throw new HaprobeError('profile', 'missing required field "id"', { where: file });
    if (index.has(id)) throw new HaprobeError('profile', `profile id "${id}" is defined twice`, { where: file, hint: `also in ${index.get(id)}` });
    index.set(id, file);
  }
  return index;
}

/**
 * The file named after the id (`<id>.yaml`, as every shipped profile is) when its `id:` says so:
 * one file read instead of every profile of the folder (the index parses 13 YAML files).
 * Anything else — another file name, an edited id — goes through the index.
 */
function fileNamedAfter(dir: string, id: string): string | undefined {
  if (!/^[\w.-]+$/.test(id)) return undefined;
  for (const ext of ['.yaml', '.yml']) {
    const file = path.join(dir, id + ext);
    if (!fs.existsSync(file)) continue;
    return (readYamlFile(file) as { id?: unknown } | null)?.id === id ? file : undefined;
  }
  return undefined;
}

/**
 * A resolver of profile references for one profiles folder (the index, when needed, is built
 * once): `ref` is a path (relative to the folder of `from`, the file whose `extends` names it,
 * else to the working directory) or an id. Throws HaprobeError('profile') naming the reference,
 * with the known ids for an unknown one. An id is looked up in the index of the whole folder, so
 * an id defined twice is refused; `byFileName` first tries the file named after the id (one file
 * read: what `run` checks before it connects — loadProfile, with the index, follows).
 */
export function profileResolver(dir: string, opts: { byFileName?: boolean } = {}): (ref: string, from?: string) => string {
  let index: Map<string, string> | undefined;
  return (ref, from) => {
    if (isProfilePath(ref)) {
      const file = path.resolve(from ? path.dirname(from) : process.cwd(), ref);
      if (!fs.existsSync(file)) throw new HaprobeError('profile', `profile file not found: ${ref}`, { where: from ?? file });
      return file;
    }
    const named = opts.byFileName ? fileNamedAfter(dir, ref) : undefined;
    if (named) return named;
    index ??= indexProfiles(dir);
    const file = index.get(ref);
    if (file) return file;
    const concrete = [...index].filter(([, f]) => (readYamlFile(f) as { abstract?: unknown } | null)?.abstract !== true).map(([id]) => id);
    throw new HaprobeError('profile', `unknown profile "${ref}"`, {
      where: from ? `${from}: extends` : ref,
      hint: `known profiles: ${concrete.sort().join(', ')}`,
    });
  };
}
