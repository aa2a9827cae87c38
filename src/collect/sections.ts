import { SECTION_BEGIN, SECTION_END } from './script';
import type { ParseWarning } from '../parse/types';

export interface RawSection {
  key: string;
  output: string;
  /** exit status of the section's command; null when the end marker never came */
  exitCode: number | null;
}

/**
 * Split the batched script's output into its sections (see script.ts for the framing).
 * Total: text outside sections becomes a warning; a section cut short (connection lost)
 * is kept with exitCode null.
 */
export function splitSections(text: string): { sections: RawSection[]; warnings: ParseWarning[] } {
  const sections: RawSection[] = [];
  const warnings: ParseWarning[] = [];
  const lines = text.split('\n');
  let current: { key: string; lines: string[] } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith(SECTION_BEGIN)) {
      if (current) sections.push(close(current, null));
      current = { key: line.slice(SECTION_BEGIN.length), lines: [] };
    } else if (line.startsWith(SECTION_END) && current) {
      const rest = line.slice(SECTION_END.length);
      const space = rest.lastIndexOf(' ');
      const key = space >= 0 ? rest.slice(0, space) : rest;
      const code = space >= 0 ? Number(rest.slice(space + 1)) : NaN;
      if (key !== current.key) warnings.push({ line: i + 1, message: `section end "${key}" does not close "${current.key}"` });
      sections.push(close(current, Number.isFinite(code) ? code : null));
      current = undefined;
    } else if (current) {
      current.lines.push(line);
    } else if (line.trim() !== '') {
      warnings.push({ line: i + 1, message: 'output outside any section', text: line });
    }
  }
  if (current) sections.push(close(current, null));
  return { sections, warnings };
}

function close(section: { key: string; lines: string[] }, exitCode: number | null): RawSection {
  // the framing adds one newline before the end marker; drop trailing blank lines
  const lines = section.lines;
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return { key: section.key, output: lines.join('\n') + (lines.length ? '\n' : ''), exitCode };
}

/** the three OVSDB tables script v2 reads in one ovs-vsctl call, in the order it lists them */
const OVSDB_TABLES = ['ovsdb-bridge', 'ovsdb-port', 'ovsdb-interface'];

/**
 * Sections that one command produced for several keys, split back into the keys the snapshot
 * builder reads (issue 10): `ovsdb` (one `ovs-vsctl --format=json` call listing Bridge, Port and
 * Interface, one JSON document per line) → ovsdb-bridge, ovsdb-port, ovsdb-interface, each
 * exactly what v1's separate call printed. Pure and total: an `ovsdb` section that is not three
 * JSON lines is kept as it is with a warning (the snapshot then has no OVS from it).
 */
export function expandSections(sections: RawSection[]): { sections: RawSection[]; warnings: ParseWarning[] } {
  const out: RawSection[] = [];
  const warnings: ParseWarning[] = [];
  for (const s of sections) {
    if (s.key !== 'ovsdb' || s.exitCode !== 0) {
      out.push(s);
      continue;
    }
    const docs = s.output.split('\n').filter((l) => l.trim() !== '');
    if (docs.length !== OVSDB_TABLES.length || !docs.every((d) => d.trimStart().startsWith('{'))) {
      warnings.push({ line: 0, message: `section ovsdb: expected ${OVSDB_TABLES.length} JSON tables, got ${docs.length} line(s)` });
      out.push(s);
      continue;
    }
    OVSDB_TABLES.forEach((key, i) => out.push({ key, output: docs[i] + '\n', exitCode: 0 }));
  }
  return { sections: out, warnings };
}
