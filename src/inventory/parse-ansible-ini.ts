import { HaprobeError } from '../errors';

/** One host line as written, with the line it came from (for error messages). */
export interface AnsibleHost {
  name: string;
  vars: Record<string, string>;
  line: number;
}

export interface AnsibleGroup {
  name: string;
  hosts: AnsibleHost[];
  children: string[];
  vars: Record<string, string>;
}

/**
 * Parse an Ansible INI inventory: `[group]` host lines with key=value vars, `[group:vars]`,
 * `[group:children]`, numeric ranges (`node[01:03]`). Hosts before any header land in
 * `ungrouped`, as in Ansible. Throws HaprobeError('inventory', …, {where: 'file:line'}).
 */
export function parseAnsibleIni(text: string, source: string): Map<string, AnsibleGroup> {
  const groups = new Map<string, AnsibleGroup>();
  const group = (name: string): AnsibleGroup => {
    let g = groups.get(name);
    if (!g) groups.set(name, (g = { name, hosts: [], children: [], vars: {} }));
    return g;
  };
  let current = group('ungrouped');
  let kind: 'hosts' | 'vars' | 'children' = 'hosts';
  const lines = text.split(/\r?\n/);
  for (const [i, rawLine] of lines.entries()) {
    const lineNo = i + 1;
    const fail = (message: string): never => {
      throw new HaprobeError('inventory', message, { where: `${source}:${lineNo}` });
    };
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]:\s]+)(?::(vars|children))?\]$/.exec(line);
    if (header) {
      current = group(header[1]);
      kind = (header[2] as 'vars' | 'children' | undefined) ?? 'hosts';
      continue;
    }
    if (line.startsWith('[')) fail(`bad section header ${line}`);
    if (kind === 'children') {
      current.children.push(line.split(/\s+/)[0]);
      continue;
    }
    if (kind === 'vars') {
      const eq = line.indexOf('=');
      if (eq <= 0) fail(`expected key=value in [${current.name}:vars], got '${line}'`);
      current.vars[line.slice(0, eq).trim()] = unquote(line.slice(eq + 1).trim());
      continue;
    }
    const tokens = splitTokens(line, fail);
    const vars: Record<string, string> = {};
    for (const tok of tokens.slice(1)) {
      const eq = tok.indexOf('=');
      if (eq <= 0) fail(`expected key=value after the host name, got '${tok}'`);
      vars[tok.slice(0, eq)] = unquote(tok.slice(eq + 1));
    }
    for (const name of expandHostRange(tokens[0], fail)) current.hosts.push({ name, vars, line: lineNo });
  }
  return groups;
}

/** whitespace-separated tokens; quotes keep spaces inside a value (key="a b") */
function splitTokens(line: string, fail: (m: string) => never): string[] {
  const tokens: string[] = [];
  let cur = '';
  let quote: string | undefined;
  for (const ch of line) {
    if (quote) {
      cur += ch;
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      cur += ch;
    } else if (/\s/.test(ch)) {
      if (cur) tokens.push(cur);
      cur = '';
    } else if (ch === '#' && cur === '') {
      break; // trailing comment
    } else {
      cur += ch;
    }
  }
  if (quote) fail(`unterminated quote in '${line}'`);
  if (cur) tokens.push(cur);
  return tokens;
}

function unquote(v: string): string {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1);
  return v;
}

/** `node[01:03]` → node01 node02 node03 (zero padding kept, as Ansible does) */
function expandHostRange(name: string, fail: (m: string) => never): string[] {
  const m = /^(.*)\[(\d+):(\d+)\](.*)$/.exec(name);
  if (!m) return [name];
  const [, pre, from, to, post] = m;
  const a = Number(from);
  const b = Number(to);
  if (b < a || b - a > 10000) fail(`bad host range in '${name}'`);
  const width = from.startsWith('0') ? from.length : 0;
  const out: string[] = [];
  for (let n = a; n <= b; n++) out.push(`${pre}${String(n).padStart(width, '0')}${post}`);
  return out;
}
