import { HaprobeError, type ErrorCode } from '../errors';

/**
 * Alias expansions allowed when a YAML document becomes plain data. Hand-written inventories,
 * facts, waivers and profiles use a few; a "billion laughs" document (aliases of aliases) needs
 * thousands. The yaml package throws a ReferenceError past the limit; that error became an
 * internal error with a stack trace (exit 4) before issue 8.
 */
export const YAML_MAX_ALIAS_COUNT = 100;

/**
 * YAML text → plain data for a config file (inventory, facts, waivers, profile). Syntax errors
 * and alias bombs become HaprobeError(code) naming file:line:col, i.e. exit 2.
 */
export function parseConfigYaml(text: string, code: ErrorCode, file: string, opts: { uniqueKeys?: boolean } = {}): unknown {
  // yaml is loaded on first use, not at import (issue 10: start-up cost of every command)
  const { LineCounter, parseDocument } = require('yaml') as typeof import('yaml');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: opts.uniqueKeys ?? true, lineCounter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = lineCounter.linePos(e.pos[0]);
    throw new HaprobeError(code, `YAML syntax error: ${e.message.split('\n')[0]}`, { where: `${file}:${pos.line}:${pos.col}` });
  }
  return yamlDocumentToData(doc, code, file);
}

/** doc.toJS() with the alias limit, its ReferenceError turned into a config error */
export function yamlDocumentToData(doc: { toJS(opts?: { maxAliasCount?: number }): unknown }, code: ErrorCode, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT });
  } catch (err) {
    if (err instanceof ReferenceError) {
      throw new HaprobeError(code, `YAML aliases expand too much (more than ${YAML_MAX_ALIAS_COUNT}): refusing a possible alias bomb`, {
        where: file,
        hint: 'write the values out instead of nesting aliases',
        cause: err,
      });
    }
    throw new HaprobeError(code, `YAML cannot be read: ${(err as Error).message.split('\n')[0]}`, { where: file, cause: err });
  }
}
