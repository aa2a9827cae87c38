import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTarParser, readTarArchive, DEFAULT_ARCHIVE_LIMITS } from '../../src/analyze/read-tar';
import { readDirectoryTree } from '../../src/analyze/read-directory';
import { safeRelativePath } from '../../src/analyze/safe-path';

/** a ustar header block for `name` (GNU tar's layout), with a correct checksum */
function header(name: string, size: number, type = '0', linkname = ''): Buffer {
  const b = Buffer.alloc(512);
  b.write(name, 0, 100, 'utf8');
  b.write('0000644\0', 100);
  b.write('0000000\0', 108);
  b.write('0000000\0', 116);
  b.write(size.toString(8).padStart(11, '0') + '\0', 124);
  b.write('00000000000\0', 136);
  b.write(type, 156);
  b.write(linkname, 157, 100, 'utf8');
  b.write('ustar\0', 257);
  b.write('00', 263);
  b.fill(32, 148, 156);
  let sum = 0;
  for (const x of b) sum += x;
  b.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return b;
}
function member(name: string, text: string, type = '0', linkname = ''): Buffer {
  const data = Buffer.from(text);
  const pad = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([header(name, type === '0' ? data.length : 0, type, linkname), type === '0' ? Buffer.concat([data, pad]) : Buffer.alloc(0)]);
}
const END = Buffer.alloc(1024);

describe('analyze: reading foreign archives safely', () => {
  it('keeps regular files with safe names, refuses ../ and absolute names, never follows links', () => {
    const p = createTarParser(() => true, DEFAULT_ARCHIVE_LIMITS, 't.tar');
    const tar = Buffer.concat([
      member('sosreport-n1/sos_commands/networking/ip_netns', 'qrouter-1\n'),
      member('sosreport-n1/../../etc/cron.d/evil', 'x'),
      member('/etc/passwd', 'x'),
      member('sosreport-n1/ip_addr', '', '2', 'sos_commands/networking/ip_-o_addr'),
      member('sosreport-n1/escape', '', '2', '../../../../etc'),
      member('sosreport-n1/hard', '', '1', '/etc/shadow'),
      END,
    ]);
    // fed in odd-sized chunks: headers and data cross chunk boundaries
    for (let i = 0; i < tar.length; i += 77) p.push(tar.subarray(i, i + 77));
    const r = p.result();
    expect([...r.files.keys()]).to.deep.equal(['sosreport-n1/sos_commands/networking/ip_netns']);
    expect(r.files.get('sosreport-n1/sos_commands/networking/ip_netns')).to.equal('qrouter-1\n');
    expect(r.skipped.map((s) => s.reason)).to.deep.equal([
      'unsafe member name (absolute or with ..)',
      'unsafe member name (absolute or with ..)',
      'symbolic link not followed',
      'symbolic link not followed',
      'hard link not followed',
    ]);
  });

  it('a truncated archive or a bad header is a typed error, not a half-read snapshot', () => {
    const p = createTarParser(() => true, DEFAULT_ARCHIVE_LIMITS, 't.tar');
    p.push(member('a', 'x'.repeat(2000)).subarray(0, 1000));
    expect(() => p.result()).to.throw(/truncated/);
    const q = createTarParser(() => true, DEFAULT_ARCHIVE_LIMITS, 't.tar');
    const bad = member('a', 'x');
    bad[0] = 0x41; // checksum no longer matches
    expect(() => q.push(bad)).to.throw(/checksum/);
  });

  it('size limits: a member over maxFileBytes is skipped, kept bytes over maxKeptBytes stop the read', () => {
    const limits = { ...DEFAULT_ARCHIVE_LIMITS, maxFileBytes: 10, maxKeptBytes: 15 };
    const p = createTarParser(() => true, limits, 't.tar');
    p.push(Buffer.concat([member('big', 'x'.repeat(11)), member('a', 'x'.repeat(8)), END]));
    expect(p.result().skipped).to.deep.equal([{ name: 'big', reason: 'larger than 10 bytes' }]);
    const q = createTarParser(() => true, limits, 't.tar');
    expect(() => q.push(Buffer.concat([member('a', 'x'.repeat(8)), member('b', 'x'.repeat(8)), END]))).to.throw(/exceed 15 bytes/);
    const r = createTarParser(() => true, { ...DEFAULT_ARCHIVE_LIMITS, maxArchiveBytes: 1024 }, 't.tar');
    expect(() => r.push(Buffer.concat([member('a', 'x'.repeat(600)), END]))).to.throw(/decompressed archive exceeds/);
  });

  it('reads .tar.xz and .tar.gz written by GNU tar (long names via the GNU extension), without extracting', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hp-tar-'));
    try {
      const src = path.join(dir, 'sosreport-n1');
      const longNs = `qrouter-${'a'.repeat(36)}`;
      const nsFile = `sos_commands/networking/ip_netns_exec_${longNs}_ip_route_show_table_all`;
      fs.mkdirSync(path.join(src, 'sos_commands/networking'), { recursive: true });
      fs.writeFileSync(path.join(src, nsFile), 'default via 203.0.113.1 dev qg-1\n');
      fs.symlinkSync('/etc/passwd', path.join(src, 'passwd-link'));
      for (const [ext, flag] of [['tar.xz', '-cJf'], ['tar.gz', '-czf']]) {
        const tarball = path.join(dir, `sosreport-n1.${ext}`);
        execFileSync('tar', [flag, tarball, '-C', dir, 'sosreport-n1']);
        const r = await readTarArchive(tarball, () => true);
        expect(r.files.get(`sosreport-n1/${nsFile}`)).to.equal('default via 203.0.113.1 dev qg-1\n');
        expect(r.skipped).to.deep.equal([{ name: 'sosreport-n1/passwd-link', reason: 'symbolic link not followed' }]);
      }
      // a directory is walked the same way: the symlink is listed, never read
      const d = readDirectoryTree(src, () => true);
      expect([...d.files.keys()]).to.deep.equal([nsFile]);
      expect(d.skipped).to.deep.equal([{ name: 'passwd-link', reason: 'symbolic link not followed' }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('safeRelativePath', () => {
    expect(safeRelativePath('./a//b/')).to.equal('a/b');
    expect(safeRelativePath('a/../b')).to.equal(undefined);
    expect(safeRelativePath('/a')).to.equal(undefined);
    expect(safeRelativePath('a\0b')).to.equal(undefined);
    expect(safeRelativePath('..')).to.equal(undefined);
  });
});
