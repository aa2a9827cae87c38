import { HaprobeError } from '../errors';
import type { Inventory } from './types';
import { type BuildOptions, buildInventory } from './build-inventory';
import { sshConfigResolver } from './ssh-config';
import { readInventoryText } from './read-inventory-text';
import { yamlDocumentToData } from '../model/parse-config-yaml';

export interface LoadOptions {
  /** an ssh client config (e.g. ~/.ssh/config) whose Host aliases resolve node addresses; off by default */
  sshConfig?: string;
}

/** Read a haprobe inventory YAML file (format: README "Inventory"). Throws HaprobeError('inventory'). */
export function loadInventory(file: string, opts: LoadOptions = {}): Inventory {
  const build: BuildOptions = opts.sshConfig ? { sshConfig: sshConfigResolver(opts.sshConfig) } : {};
  return parseInventoryYaml(readInventoryText(file), file, build);
}

/** Pure: YAML text → Inventory; `source` is only used in error messages and relative paths. */
export function parseInventoryYaml(text: string, source: string, opts: BuildOptions = {}): Inventory {
  // yaml is loaded on first use, not at import (issue 10: start-up cost of every command)
  const { LineCounter, parseDocument } = require('yaml') as typeof import('yaml');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = lineCounter.linePos(e.pos[0]);
    const where = `${source}:${pos.line}:${pos.col}`;
    throw new HaprobeError('inventory', `YAML syntax error: ${firstLine(e.message)}`, { where });
  }
  return buildInventory(yamlDocumentToData(doc, 'inventory', source), source, opts);
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}
