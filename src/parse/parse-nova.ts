import type { DnsmasqProcess, ListeningSocket, NovaOptsFile } from '../model/nova-types';
import { addWarning, splitLines } from './lines';
import type { ParseResult, ParseWarning } from './types';

/**
 * Parsers of the collector's nova sections (src/collect/nova-script.ts). Pure and total.
 */

/** `@pid <n>` then one argv word per line (the cmdline's NULs turned into newlines) */
export function parseDnsmasqProcesses(text: string): ParseResult<DnsmasqProcess[]> {
  const warnings: ParseWarning[] = [];
  const value: DnsmasqProcess[] = [];
  let cur: DnsmasqProcess | undefined;
  splitLines(text).forEach((raw, i) => {
    const m = /^@pid (\d+)$/.exec(raw.trim());
    if (m) {
      cur = { pid: Number(m[1]), argv: [] };
      value.push(cur);
    } else if (cur) {
      if (raw !== '') cur.argv.push(raw);
    } else if (raw.trim() !== '') addWarning(warnings, i + 1, 'argument outside a process', raw);
  });
  return { value, warnings };
}

/** `@file <path>` then the file's lines */
export function parseNovaOptsFiles(text: string): ParseResult<NovaOptsFile[]> {
  const warnings: ParseWarning[] = [];
  const value: NovaOptsFile[] = [];
  let cur: NovaOptsFile | undefined;
  splitLines(text).forEach((raw, i) => {
    const m = /^@file (\S.*)$/.exec(raw);
    if (m) {
      cur = { path: m[1]!, lines: [] };
      value.push(cur);
    } else if (cur) {
      if (raw.trim() !== '') cur.lines.push(raw.trim());
    } else if (raw.trim() !== '') addWarning(warnings, i + 1, 'line outside a file', raw);
  });
  return { value, warnings };
}

/**
 * `ss -Hltn` (State Recv-Q Send-Q Local:Port Peer:Port [Process]); a header line is skipped.
 * Local is "0.0.0.0:8775", "[::]:22", "*:80", "203.0.113.11%eth0:8775".
 */
export function parseListeningSockets(text: string): ParseResult<ListeningSocket[]> {
  const warnings: ParseWarning[] = [];
  const value: ListeningSocket[] = [];
  splitLines(text).forEach((raw, i) => {
    const t = raw.trim();
    if (t === '' || t.startsWith('State ')) return;
    const w = t.split(/\s+/);
    const local = w[0] === 'LISTEN' ? w[3] : undefined;
    const m = local ? /^\[?([^\]%]*?)(?:%[^\]:]+)?\]?:(\d+)$/.exec(local) : null;
    if (!m) {
      addWarning(warnings, i + 1, 'not an ss listening socket line', raw);
      return;
    }
    value.push({ address: m[1]!, port: Number(m[2]) });
  });
  return { value, warnings };
}

/** `key = value` lines of nova.conf (the collector greps only data-plane keys); last one wins */
export function parseNovaConfKeys(text: string): ParseResult<Record<string, string>> {
  const warnings: ParseWarning[] = [];
  const value: Record<string, string> = {};
  splitLines(text).forEach((raw, i) => {
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) return;
    const m = /^([A-Za-z0-9_]+)\s*=\s*(.*)$/.exec(t);
    if (!m) {
      addWarning(warnings, i + 1, 'not a key = value line', raw);
      return;
    }
    value[m[1]!] = m[2]!.trim();
  });
  return { value, warnings };
}
