import * as fs from 'fs';
import * as path from 'path';

/**
 * The real published outputs the tests read, copied from shared/corpus into the repository
 * (issue 15: the suite must pass from a clone alone, without a sibling ../shared). Same
 * relative paths as in shared/corpus, each file keeping its `#source:`/`#what:` header.
 * Compiled tests run from dist/test/helpers/, sources live in test/fixtures/real/.
 */
export const CORPUS_ROOT = path.resolve(__dirname, '../../../test/fixtures/real');

/** Absolute path of a corpus file given relative to the corpus root ("netns/x.txt"). */
export function corpusPath(rel: string): string {
  return path.join(CORPUS_ROOT, rel);
}

export interface CorpusSample {
  /** the `#source:` / `#what:` lines, without their leading '#' */
  header: string[];
  /** the output as published (everything after the one blank line that ends the header) */
  body: string;
}

/**
 * Splits a corpus file into header and body. Contract of test/fixtures/real/INDEX.md: header lines
 * start with '#', then exactly one blank line, then the output (which may itself start with
 * blank lines or '#' lines, e.g. iptables-save comments — those are kept).
 */
export function splitCorpusSample(text: string): CorpusSample {
  const lines = text.split('\n');
  const header: string[] = [];
  let i = 0;
  while (i < lines.length && lines[i].startsWith('#')) {
    header.push(lines[i].slice(1));
    i++;
  }
  if (i < lines.length && lines[i].trim() === '') i++;
  return { header, body: lines.slice(i).join('\n') };
}

/** Reads a corpus file and returns its body (the published output, header stripped). */
export function readCorpusBody(rel: string): string {
  return splitCorpusSample(fs.readFileSync(corpusPath(rel), 'utf8')).body;
}

/** Lists the corpus files of one folder ("netns"), sorted. */
export function listCorpusFiles(folder: string): string[] {
  return fs
    .readdirSync(path.join(CORPUS_ROOT, folder))
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => `${folder}/${f}`);
}
