import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { CHECKS } from '../../checks';
import { NODE_REACHABLE_CHECK } from '../../src/engine/evaluate';
import { listProfiles } from '../../src/profile';
import { EXIT } from '../../src/cli/exit-codes';
import { buildProgram } from '../../src/cli/main';
import { commandPath, docPageOf } from '../../src/cli/doc-pages';

/**
 * Issue 13, "Docs": every check, profile, command and exit code has its entry in docs/, read from
 * the registries (a check, profile or command added later needs its entry, no list here to edit).
 * Pages are read as they are found under docs/, so pages added later count without a change here.
 */
const ROOT = path.resolve(__dirname, '../../..');
const DOCS = path.join(ROOT, 'docs');

function markdownFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? markdownFiles(p) : e.name.endsWith('.md') ? [p] : [];
  });
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** heading anchors of a markdown text, outside code fences */
function anchorsOf(text: string): Set<string> {
  const out = new Set<string>();
  let fence = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) fence = !fence;
    const m = !fence && /^#{1,6}\s+(.*)$/.exec(line);
    if (m) out.add(anchorOf(m[1]!));
  }
  return out;
}

function commandsOf(program: Command): Command[] {
  return program.commands.flatMap((c) => [c, ...commandsOf(c)]);
}

describe('docs: every check, profile, command and exit code has its entry (issue 13)', () => {
  const pages = markdownFiles(DOCS).map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
  const all = pages.map((p) => p.text).join('\n');
  const anchors = new Set(pages.flatMap((p) => [...anchorsOf(p.text)]));

  it('docs/ holds the topic pages the README links', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\((docs\/[^)#\s]+)/g)].map((m) => m[1]!);
    expect(links.length).to.be.greaterThan(8);
    for (const l of links) expect(fs.existsSync(path.join(ROOT, l)), l).to.equal(true);
  });

  for (const c of [NODE_REACHABLE_CHECK, ...CHECKS])
    it(`check ${c.id} has a section of its own (the table's docs/checks.md#${c.id})`, () => {
      expect(anchorsOf(fs.readFileSync(path.join(DOCS, 'checks.md'), 'utf8')).has(c.id)).to.equal(true);
    });

  for (const p of listProfiles().filter((x) => !x.abstract))
    it(`profile ${p.id} is described`, () => {
      expect(fs.readFileSync(path.join(DOCS, 'profiles.md'), 'utf8')).to.include(`\`${p.id}\``);
    });

  it('every command and subcommand is shown in use in docs/ and its --help links an existing page and anchor', () => {
    const missing: string[] = [];
    for (const cmd of commandsOf(buildProgram())) {
      const p = commandPath(cmd);
      if (!all.includes(`haprobe ${p}`)) missing.push(`"haprobe ${p}" appears in no page under docs/`);
      const page = docPageOf(p);
      if (!page) {
        missing.push(`${p}: no entry in src/cli/doc-pages.ts DOC_PAGES`);
        continue;
      }
      const [file, anchor] = page.split('#');
      if (!fs.existsSync(path.join(ROOT, file!))) missing.push(`${p}: ${file} does not exist`);
      else if (anchor && !anchorsOf(fs.readFileSync(path.join(ROOT, file!), 'utf8')).has(anchor)) missing.push(`${p}: no heading #${anchor} in ${file}`);
    }
    expect(missing).to.deep.equal([]);
  });

  for (const [name, code] of Object.entries(EXIT))
    it(`exit code ${code} (${name}) has its row in docs/exit-codes.md`, () => {
      expect(fs.readFileSync(path.join(DOCS, 'exit-codes.md'), 'utf8')).to.match(new RegExp(`^\\| ${code} \\| \\S`, 'm'));
    });

  it('relative links between pages resolve (files, and anchors where given)', () => {
    const broken: string[] = [];
    for (const p of pages) {
      for (const m of p.text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/.test(target)) continue;
        const [file, anchor] = target.split('#');
        const abs = file ? path.resolve(path.dirname(p.file), file) : p.file;
        if (!fs.existsSync(abs)) broken.push(`${path.relative(ROOT, p.file)}: ${target}`);
        else if (anchor && abs.endsWith('.md') && !anchorsOf(fs.readFileSync(abs, 'utf8')).has(anchor)) broken.push(`${path.relative(ROOT, p.file)}: ${target} (no such heading)`);
      }
    }
    expect(broken).to.deep.equal([]);
    expect(anchors.size).to.be.greaterThan(0);
  });

  it('the README is the front door: the two commands verbatim, under 250 lines', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).to.include('```sh\nbash scripts/setup.sh && node dist/src/cli/bin.js demo\n```');
    expect(readme).to.include('```sh\nbash scripts/setup.sh --with-openstack && npm test\n```');
    expect(readme.split('\n').length).to.be.at.most(250);
  });
});
