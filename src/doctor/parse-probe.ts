import { PROBE_BEGIN, PROBE_END } from './probe-script';

export interface ProbeSection {
  text: string;
  /** exit status of the section's command; null when the end marker is missing (output cut) */
  rc: number | null;
}

export interface ParsedProbe {
  sections: Map<string, ProbeSection>;
}

/**
 * Pure, total: the probe's output → sections by key. Lines outside a section become warnings
 * with their line number; a section without its end marker keeps its text with rc null.
 */
export function parseDoctorProbe(text: string): { value: ParsedProbe; warnings: Array<{ line: number; text: string }> } {
  const sections = new Map<string, ProbeSection>();
  const warnings: Array<{ line: number; text: string }> = [];
  let key: string | undefined;
  let buf: string[] = [];
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (line.startsWith(PROBE_BEGIN)) {
      if (key !== undefined) sections.set(key, { text: buf.join('\n').trim(), rc: null });
      key = line.slice(PROBE_BEGIN.length);
      buf = [];
      continue;
    }
    if (line.startsWith(PROBE_END) && key !== undefined) {
      const m = / (-?\d+)$/.exec(line);
      sections.set(key, { text: buf.join('\n').trim(), rc: m ? Number(m[1]) : null });
      key = undefined;
      continue;
    }
    if (key !== undefined) buf.push(line);
    else if (line.trim() !== '') warnings.push({ line: i + 1, text: line });
  }
  if (key !== undefined) sections.set(key, { text: buf.join('\n').trim(), rc: null });
  return { value: { sections }, warnings };
}
