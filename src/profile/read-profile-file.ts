import * as fs from 'node:fs';
import { HaprobeError } from '../errors';
import { yamlDocumentToData } from '../model/parse-config-yaml';

/** Reads and parses one YAML file; malformed YAML → HaprobeError('profile') with file:line:col. */
export function readYamlFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new HaprobeError('profile', `cannot read profile file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { where: file, cause: err });
  }
  return parseYamlText(text, file);
}

/** pure part: YAML text → plain data, errors located as file:line:col */
export function parseYamlText(text: string, file: string): unknown {
  // yaml is loaded on first use, not at import (issue 10: start-up cost of every command)
  const { parseDocument } = require('yaml') as typeof import('yaml');
  const doc = parseDocument(text);
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0];
    const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
    const first = (err.message.split('\n')[0] ?? err.message).replace(/ at line \d+, column \d+:?$/, '');
    throw new HaprobeError('profile', `malformed YAML: ${first}`, { where, hint: 'check indentation and quoting' });
  }
  return yamlDocumentToData(doc, 'profile', file);
}
