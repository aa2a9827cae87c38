import * as fs from 'node:fs';
import * as path from 'node:path';
import { HaprobeError } from '../errors';
import type { RawSection } from '../collect/sections';
import type { Role } from '../model/types';
import type { EvidenceItem, RunResult } from '../result/run-result';
import { parseRunFile } from '../report/read-run-file';
import { DEFAULT_ARCHIVE_LIMITS, isArchivePath, readTarArchive, type ArchiveLimits, type TarContents } from './read-tar';
import { readDirectoryTree } from './read-directory';
import { hostnameFromSosName, isWantedOutputFile, readNodeFiles, type NodeFiles } from './read-output-files';

/**
 * What `analyze` and `where` read, loaded from one PATH (the I/O edge of the offline path):
 * - a sosreport tarball (.tar.xz/.tar.gz/.tar): read in memory by read-tar.ts, never extracted;
 * - an unpacked sosreport directory (it has sos_commands/ or sos_reports/);
 * - a haprobe run file (`run --output DIR` keeps every section's output as evidence): an
 *   evidence bundle with all its nodes, unreachable ones included;
 * - a directory of pasted outputs named by command (one node; a directory whose entries are all
 *   directories holds one such folder per node).
 */
export type SourceKind = 'sosreport' | 'sos-directory' | 'evidence-bundle' | 'pasted';

export interface SourceNode {
  /** node name: the sosreport's hostname, the run file's node, the folder's hostname file or name */
  name: string;
  /** where it came from, as evidence names it ("sosreport-net1-….tar.xz") */
  label: string;
  kind: SourceKind;
  /** roles the source itself records (run files) */
  roles?: Role[];
  /** sosreport / pasted outputs */
  files?: NodeFiles;
  /** run file: the node's sections, keyed as the live collector keys them */
  sections?: RawSection[];
  evidence?: EvidenceItem[];
  /** run file: the node was unreachable in that run */
  failure?: { reason: string; message: string };
}

export async function loadSource(p: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<SourceNode[]> {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch (err) {
    throw new HaprobeError('usage', `cannot read ${p}: ${(err as Error).message}`, { where: 'analyze PATH' });
  }
  if (st.isFile() && isArchivePath(p)) return [await loadSosArchive(p, limits)];
  if (st.isFile()) {
    if (st.size > limits.maxFileBytes) throw new HaprobeError('usage', `${p}: larger than ${limits.maxFileBytes} bytes`, { where: 'analyze PATH' });
    return loadEvidenceBundle(p);
  }
  if (!st.isDirectory()) throw new HaprobeError('usage', `${p}: neither a file nor a directory`, { where: 'analyze PATH' });
  const entries = fs.readdirSync(p, { withFileTypes: true });
  const isSos = entries.some((e) => e.isDirectory() && (e.name === 'sos_commands' || e.name === 'sos_reports'));
  if (isSos) return [loadSosDirectory(p, limits)];
  const visible = entries.filter((e) => !e.name.startsWith('.') && !/^(SOURCE|MANIFEST|README)(\.\w+)?$/i.test(e.name));
  if (visible.length > 0 && visible.every((e) => e.isDirectory())) {
    const nodes: SourceNode[] = [];
    for (const e of visible) nodes.push(...(await loadSource(path.join(p, e.name), limits)));
    return nodes;
  }
  return [loadPastedDirectory(p, limits)];
}

const labelOf = (p: string): string => path.basename(path.resolve(p));

/** a sosreport tarball, read in memory (never extracted) */
export async function loadSosArchive(p: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<SourceNode> {
  const label = labelOf(p);
  const tree = stripTopDirectory(await readTarArchive(p, isWantedOutputFile, limits));
  const files = readNodeFiles(tree, label);
  return { name: nodeNameOf(files, label), label, kind: 'sosreport', files };
}

/** an unpacked sosreport (it has sos_commands/ or sos_reports/) */
export function loadSosDirectory(p: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): SourceNode {
  const label = labelOf(p);
  const files = readNodeFiles(readDirectoryTree(p, isWantedOutputFile, limits), label);
  return { name: nodeNameOf(files, label), label, kind: 'sos-directory', files };
}

/** one node's folder of pasted outputs named by command */
export function loadPastedDirectory(p: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): SourceNode {
  const label = labelOf(p);
  const files = readNodeFiles(readDirectoryTree(p, isWantedOutputFile, limits), label);
  return { name: files.hostname ?? files.etcHostname ?? label, label, kind: 'pasted', files };
}

/** a haprobe run file (`run --output DIR`): every node of it, unreachable ones included */
export function loadEvidenceBundle(p: string): SourceNode[] {
  return readEvidenceBundle(p, labelOf(p));
}

/**
 * A sosreport's node: the `hostname` output, else the name sos gave the archive (the running
 * hostname), else the copied /etc/hostname (which can differ: containers, renamed hosts, the lab).
 */
function nodeNameOf(files: NodeFiles, label: string): string {
  return files.hostname ?? hostnameFromSosName(label) ?? files.etcHostname ?? label.replace(/\.tar.*$/, '');
}

/** a run file: each node's sections back from its evidence (ids are `<node>/<section key>`) */
function readEvidenceBundle(p: string, label: string): SourceNode[] {
  let result: RunResult;
  try {
    result = parseRunFile(fs.readFileSync(p, 'utf8'), p);
  } catch (err) {
    if (err instanceof HaprobeError) {
      throw new HaprobeError('usage', `${p}: not a sosreport archive, nor a haprobe run file (${err.message})`, { where: 'analyze PATH', hint: 'analyze reads .tar.xz/.tar.gz sosreports, sosreport directories, run files and folders of pasted outputs' });
    }
    throw err;
  }
  return result.nodes.map((n) => {
    const evidence = result.evidence.filter((e) => e.node === n.name && e.id.startsWith(`${n.name}/`));
    const sections = evidence.map((e) => ({ key: e.id.slice(n.name.length + 1), output: e.output, exitCode: e.exitCode }));
    return {
      name: n.name,
      label,
      kind: 'evidence-bundle' as const,
      roles: n.roles as Role[],
      sections,
      evidence: evidence.map((e) => ({ ...e, command: `${label}: ${e.command}` })),
      ...(n.reachable ? {} : { failure: { reason: n.reason ?? 'unreachable', message: n.message ?? 'unreachable in the saved run' } }),
    };
  });
}

/** sos puts everything under one `sosreport-…/` directory: drop it, so sources read `<archive>:sos_commands/…` */
function stripTopDirectory(tree: TarContents): TarContents {
  const tops = new Set(tree.names.map((n) => n.split('/')[0]));
  if (tops.size !== 1) return tree;
  const top = `${[...tops][0]}/`;
  const strip = (n: string): string => (n.startsWith(top) ? n.slice(top.length) : n);
  return {
    files: new Map([...tree.files].map(([k, v]) => [strip(k), v])),
    names: tree.names.map(strip).filter((n) => n !== ''),
    skipped: tree.skipped.map((s) => ({ ...s, name: strip(s.name) })),
  };
}
