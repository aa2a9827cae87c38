import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSnapshotScript } from '../../src/collect/script';
import { OFFLINE_OUTPUTS, SECTION_ROWS, rowOfKey, rowOfSavedKind, sectionKeyOf } from '../../src/collect/catalogue';
import { classifyOutputFile } from '../../src/analyze/classify-output-file';

/** every `sec <key> …` of the script: node keys as they are, scoped ones (`sec "addr:$n" …`) as `addr:` */
function keysOfScript(script: string): string[] {
  const keys = new Set<string>();
  for (const m of script.matchAll(/\bsec "?([a-z][a-z0-9-]*)(:\$\w+)?"?\s/g)) keys.add(m[2] ? `${m[1]}:` : m[1]);
  return [...keys].sort();
}

/** every file of the real sosreports kept as fixtures (generated in the lab: test/fixtures/sos/*), relative to its report */
function sosFiles(): string[] {
  const root = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'sos');
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const m = /\/sosreport-[^/]+\/(.+)$/.exec(p.split(path.sep).join('/'));
        if (m) out.push(m[1]);
      }
    }
  };
  walk(root);
  return out;
}

describe('collect: the section catalogue', () => {
  const scripts = [buildSnapshotScript(), buildSnapshotScript({ rootOnly: true }), buildSnapshotScript({ textOnly: true })];
  const emitted = [...new Set(scripts.flatMap(keysOfScript))].sort();

  it('the script emits the keys the catalogue knows (nova, OVN and multi-NIC ones included)', () => {
    expect(emitted).to.include.members(['versions', 'netns', 'addr:', 'ovsdb', 'ovs-show', 'flows:', 'keepalived-conf:', 'nova-conf', 'ovn-nb', 'vm-rule:']);
  });

  it('every key the script emits has a row with a parser (or splits into rows that have one)', () => {
    for (const key of emitted) {
      const row = rowOfKey(key);
      expect(row, `no catalogue row for section "${key}"`).to.not.equal(undefined);
      if (row!.expandsTo) {
        for (const part of row!.expandsTo) expect(rowOfKey(part), `no row for ${part} (from ${key})`).to.not.equal(undefined);
      } else {
        expect(row!.parse, `no parser for section "${key}"`).to.be.a('function');
      }
    }
  });

  it('every row with shell text is one the script runs, as `sec <key> <shell>`', () => {
    const all = scripts.join('\n');
    for (const row of SECTION_ROWS.filter((r) => r.shell !== undefined)) {
      expect(all, row.key).to.include(row.shell);
      expect(emitted, row.key).to.include(row.scope === 'node' ? row.key : `${row.key}:`);
    }
  });

  it('every row carries its shell text, nova-network, OVN and multi-NIC rows too (only the parts an expanding row splits into have none)', () => {
    const parts = new Set(SECTION_ROWS.flatMap((r) => r.expandsTo ?? []));
    for (const row of SECTION_ROWS) expect(row.shell !== undefined || parts.has(row.key), row.key).to.equal(true);
  });

  it('every saved-output kind of a row maps back onto that row\'s section key', () => {
    for (const row of SECTION_ROWS.filter((r) => r.saved)) {
      expect(rowOfSavedKind(row.saved!), row.key).to.equal(row);
      expect(rowOfKey(sectionKeyOf(row, 'x')), row.key).to.equal(row);
    }
  });

  it('every command file of the lab\'s real sosreports maps onto a catalogue key or a named offline output', () => {
    const files = sosFiles().filter((f) => f.startsWith('sos_commands/') || f.startsWith('var/lib/neutron/'));
    expect(files.length).to.be.greaterThan(100);
    const offline = new Set(OFFLINE_OUTPUTS.map((o) => o.kind));
    for (const f of files) {
      const c = classifyOutputFile(f);
      expect(c, `${f} is not read`).to.not.equal(undefined);
      const row = rowOfSavedKind(c!.kind as never);
      expect(row !== undefined || offline.has(c!.kind), `${f} (${c!.kind}) maps onto no key`).to.equal(true);
    }
  });
});
