import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { HaprobeError } from '../errors';
import { safeRelativePath } from './safe-path';

/**
 * Reads the members of a (compressed) tar archive that `want` asks for, into memory.
 *
 * Why not `tar -x` into a temp dir: a sosreport comes from another machine (a support case), and
 * extracting it means trusting its member names, symlinks and hard links not to write outside the
 * target (CVE-2001-1267-style `../`, a symlink member followed by a file through it). Nothing is
 * written to disk here at all: only regular-file members with a safe relative name are kept, as
 * text, under a size budget; symlinks, hard links, devices and unsafe names are listed as skipped.
 * Compression: gzip in-process (zlib), xz through `xz -dc` (package xz-utils), plain tar as is.
 */
export interface ArchiveLimits {
  /** largest member kept, bytes (larger wanted members are skipped with a note) */
  maxFileBytes: number;
  /** all kept members together, bytes (past it: a typed error, nothing half-read is judged) */
  maxKeptBytes: number;
  /** decompressed archive size read at most, bytes (a decompression bomb stops here) */
  maxArchiveBytes: number;
  /** members listed at most */
  maxEntries: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxFileBytes: 64 * 1024 * 1024,
  maxKeptBytes: 512 * 1024 * 1024,
  maxArchiveBytes: 16 * 1024 * 1024 * 1024,
  maxEntries: 1_000_000,
};

export interface TarContents {
  /** kept members: safe relative path → text (UTF-8) */
  files: Map<string, string>;
  /** every member's name as the archive gives it (regular files, dirs, links), for "what sos wrote" */
  names: string[];
  /** members not kept, with the reason (symlink, unsafe name, too large) */
  skipped: { name: string; reason: string }[];
}

type Compression = 'gzip' | 'xz' | 'none';

export function compressionOf(file: string): Compression {
  if (/\.(tar\.gz|tgz)$/i.test(file)) return 'gzip';
  if (/\.(tar\.xz|txz)$/i.test(file)) return 'xz';
  return 'none';
}

export function isArchivePath(file: string): boolean {
  return /\.(tar|tar\.gz|tgz|tar\.xz|txz)$/i.test(file);
}

/** the tar stream of the archive (decompressed) */
function openTarStream(file: string): { stream: NodeJS.ReadableStream; done: Promise<void>; stop: () => void } {
  const kind = compressionOf(file);
  if (kind === 'xz') {
    // argv, no shell: the file name is never shell text
    const child = spawn('xz', ['-dc', '--', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()).slice(0, 2000));
    const done = new Promise<void>((resolve, reject) => {
      child.on('error', (e) => reject(new HaprobeError('io', `cannot run xz to read ${file}: ${e.message}`, { hint: 'install xz-utils' })));
      child.on('close', (code, signal) => {
        if (code === 0 || signal === 'SIGTERM') resolve();
        else reject(new HaprobeError('io', `xz could not decompress ${file}: ${err.trim() || `exit ${code}`}`));
      });
    });
    return { stream: child.stdout, done, stop: () => void child.kill() };
  }
  const raw = fs.createReadStream(file);
  const stream = kind === 'gzip' ? raw.pipe(zlib.createGunzip()) : raw;
  const done = new Promise<void>((resolve, reject) => {
    raw.on('error', (e) => reject(new HaprobeError('io', `cannot read ${file}: ${e.message}`)));
    stream.on('error', (e: Error) => reject(new HaprobeError('io', `cannot decompress ${file}: ${e.message}`)));
    stream.on('end', () => resolve());
  });
  return { stream, done, stop: () => void raw.destroy() };
}

/** Reads the archive; `want(path)` (a safe relative path) decides which regular files are kept. */
export async function readTarArchive(file: string, want: (path: string) => boolean, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<TarContents> {
  const { stream, done, stop } = openTarStream(file);
  done.catch(() => undefined); // awaited below; a rejection before then must not go unhandled
  const parser = createTarParser(want, limits, file);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (parser.push(chunk)) break;
    }
  } catch (err) {
    stop();
    throw err;
  }
  if (parser.finished()) stop(); // tar's trailing padding is not needed
  else await done;
  return parser.result();
}

/**
 * The tar format part, pure over chunks (ustar + GNU long names + pax path headers).
 * `push` returns true once the end-of-archive blocks were seen.
 */
export function createTarParser(want: (path: string) => boolean, limits: ArchiveLimits, label: string) {
  const files = new Map<string, string>();
  const names: string[] = [];
  const skipped: { name: string; reason: string }[] = [];
  let buf: Buffer = Buffer.alloc(0);
  let total = 0;
  let kept = 0;
  let ended = false;
  let zeroBlocks = 0;
  // the member being read: bytes of data still to come (+ padding), and where they go
  let dataLeft = 0;
  let padLeft = 0;
  let sink: { kind: 'keep' | 'longname' | 'pax'; name: string; parts: Buffer[] } | undefined;
  let nextName: string | undefined;

  const fail = (message: string): never => {
    throw new HaprobeError('io', `${label}: ${message}`, { hint: 'the archive is damaged, not a tar archive, or over haprobe\'s size limits' });
  };

  const finishMember = (): void => {
    if (!sink) return;
    const data = Buffer.concat(sink.parts);
    if (sink.kind === 'keep') files.set(sink.name, data.toString('utf8'));
    else if (sink.kind === 'longname') nextName = data.toString('utf8').replace(/\0.*$/s, '');
    else {
      const path = parsePaxPath(data);
      if (path !== undefined) nextName = path;
    }
    sink = undefined;
  };

  const header = (block: Buffer): void => {
    if (block.every((b) => b === 0)) {
      zeroBlocks += 1;
      if (zeroBlocks >= 2) ended = true;
      return;
    }
    zeroBlocks = 0;
    if (!verifyChecksum(block)) fail('tar header checksum mismatch');
    const type = String.fromCharCode(block[156] || 48);
    const size = readSize(block.subarray(124, 136));
    if (size === undefined) fail('unreadable member size');
    const ustar = block.subarray(257, 262).toString('latin1') === 'ustar';
    const prefix = ustar ? cstr(block.subarray(345, 500)) : '';
    const plain = cstr(block.subarray(0, 100));
    const name = nextName ?? (prefix ? `${prefix}/${plain}` : plain);
    nextName = undefined;
    dataLeft = size as number;
    padLeft = (512 - ((size as number) % 512)) % 512;
    if (type === 'L' || type === 'x') {
      if ((size as number) > 1024 * 1024) fail('oversized long-name header');
      sink = { kind: type === 'L' ? 'longname' : 'pax', name: '', parts: [] };
      return;
    }
    if (type === 'g') return; // global pax header: nothing haprobe uses
    if (names.length >= limits.maxEntries) fail(`more than ${limits.maxEntries} members`);
    names.push(name);
    if (type === '5') return;
    if (type !== '0' && type !== '7') {
      const what = type === '2' ? 'symbolic link' : type === '1' ? 'hard link' : `member type ${type}`;
      if (type === '1' || type === '2') skipped.push({ name, reason: `${what} not followed` });
      return;
    }
    const safe = safeRelativePath(name);
    if (safe === undefined) {
      skipped.push({ name, reason: 'unsafe member name (absolute or with ..)' });
      return;
    }
    if (!want(safe)) return;
    if ((size as number) > limits.maxFileBytes) {
      skipped.push({ name, reason: `larger than ${limits.maxFileBytes} bytes` });
      return;
    }
    kept += size as number;
    if (kept > limits.maxKeptBytes) fail(`the members haprobe reads exceed ${limits.maxKeptBytes} bytes`);
    sink = { kind: 'keep', name: safe, parts: [] };
  };

  const push = (chunk: Buffer): boolean => {
    total += chunk.length;
    if (total > limits.maxArchiveBytes) fail(`decompressed archive exceeds ${limits.maxArchiveBytes} bytes`);
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    let off = 0;
    while (!ended) {
      if (dataLeft > 0) {
        const n = Math.min(dataLeft, buf.length - off);
        if (n === 0) break;
        if (sink) sink.parts.push(buf.subarray(off, off + n));
        off += n;
        dataLeft -= n;
        if (dataLeft === 0) finishMember();
        continue;
      }
      if (padLeft > 0) {
        const n = Math.min(padLeft, buf.length - off);
        if (n === 0) break;
        off += n;
        padLeft -= n;
        continue;
      }
      if (sink) finishMember(); // an empty member
      if (buf.length - off < 512) break;
      header(buf.subarray(off, off + 512));
      off += 512;
    }
    // kept data still references buf: copy what remains so the big chunk can be freed
    buf = Buffer.from(buf.subarray(off));
    return ended;
  };

  return {
    push,
    finished: (): boolean => ended,
    result: (): TarContents => {
      if (!ended && (dataLeft > 0 || sink)) fail('archive ends inside a member (truncated)');
      return { files, names, skipped };
    },
  };
}

function cstr(b: Buffer): string {
  const end = b.indexOf(0);
  return b.subarray(0, end < 0 ? b.length : end).toString('utf8');
}

/** octal size, or GNU base-256 for members of 8 GiB and more */
function readSize(field: Buffer): number | undefined {
  if (field[0] & 0x80) {
    let n = 0;
    for (let i = 1; i < field.length; i++) n = n * 256 + field[i];
    return Number.isSafeInteger(n) ? n : undefined;
  }
  const text = cstr(field).trim();
  if (!/^[0-7]*$/.test(text)) return undefined;
  return text === '' ? 0 : parseInt(text, 8);
}

function verifyChecksum(block: Buffer): boolean {
  const stored = parseInt(cstr(block.subarray(148, 156)).trim(), 8);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : block[i];
  return sum === stored;
}

/** the `path` record of a pax extended header ("LEN path=VALUE\n" records) */
function parsePaxPath(data: Buffer): string | undefined {
  let off = 0;
  let path: string | undefined;
  while (off < data.length) {
    const space = data.indexOf(0x20, off);
    if (space < 0) break;
    const len = parseInt(data.subarray(off, space).toString('latin1'), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const record = data.subarray(space + 1, off + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0 && record.slice(0, eq) === 'path') path = record.slice(eq + 1);
    off += len;
  }
  return path;
}
