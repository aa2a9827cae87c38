import { addWarning, splitLines } from './lines';
import type { ParseResult, ParseWarning } from './types';

/**
 * The collector's keepalived-procs section (script.ts kprocs): per keepalived process of the node
 * `@stat <the line of /proc/<pid>/stat>` then its argv, one word a line (cmdline NULs turned into
 * newlines; a blank line ends it). Pure and total (issue 12).
 */
export interface KeepalivedProcess {
  pid: number;
  ppid: number;
  /** /proc/<pid>/stat field 3: R S D running/sleeping; Z zombie, T/t stopped, X dead */
  state: string;
  argv: string[];
  /** the `-f`/`--use-file` argument: which keepalived.conf this process runs */
  configFile?: string;
}

/** Z/T/t/X: the process exists but sends no advert (a zombie, a SIGSTOPped or traced process) */
export const isLiveProcessState = (state: string): boolean => !['Z', 'T', 't', 'X', 'x'].includes(state);

/** `-f X`, `-fX`, `--use-file X`, `--use-file=X` (keepalived's getopt_long) */
export function configFileOf(argv: readonly string[]): string | undefined {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if ((a === '-f' || a === '--use-file') && i + 1 < argv.length) return argv[i + 1];
    if (a.startsWith('--use-file=')) return a.slice('--use-file='.length);
    if (/^-f./.test(a)) return a.slice(2);
  }
  return undefined;
}

/** `1234 (keepalived) S 1 …`: comm may hold spaces and parentheses, so the fields after the LAST `)` */
function parseStat(line: string): { pid: number; ppid: number; state: string } | undefined {
  const m = /^(\d+) \(/.exec(line);
  const close = line.lastIndexOf(')');
  if (!m || close < 0) return undefined;
  const rest = line.slice(close + 1).trim().split(/\s+/);
  if (rest.length < 2 || !/^[A-Za-z]$/.test(rest[0]!) || !/^\d+$/.test(rest[1]!)) return undefined;
  return { pid: Number(m[1]), state: rest[0]!, ppid: Number(rest[1]) };
}

export function parseKeepalivedProcesses(text: string): ParseResult<KeepalivedProcess[]> {
  const warnings: ParseWarning[] = [];
  const value: KeepalivedProcess[] = [];
  let cur: KeepalivedProcess | undefined;
  const close = (): void => {
    if (cur) {
      const f = configFileOf(cur.argv);
      if (f !== undefined) cur.configFile = f;
    }
    cur = undefined;
  };
  splitLines(text).forEach((raw, i) => {
    if (raw.startsWith('@stat ')) {
      close();
      const st = parseStat(raw.slice('@stat '.length));
      if (!st) {
        addWarning(warnings, i + 1, 'unreadable /proc stat line', raw);
        return;
      }
      cur = { ...st, argv: [] };
      value.push(cur);
    } else if (raw === '') {
      close();
    } else if (cur) cur.argv.push(raw);
    else addWarning(warnings, i + 1, 'argument outside a process', raw);
  });
  close();
  return { value, warnings };
}

/** the processes running `<anything>/<routerId>/keepalived.conf` (neutron's ha_confs layout, whatever the state path or container mount) */
export function processesOfRouter(procs: readonly KeepalivedProcess[], routerId: string): KeepalivedProcess[] {
  const suffix = `/${routerId}/keepalived.conf`;
  return procs.filter((p) => p.configFile !== undefined && (p.configFile.endsWith(suffix) || p.configFile === `${routerId}/keepalived.conf`));
}
