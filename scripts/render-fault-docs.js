#!/usr/bin/env node
// Rewrites the generated fault tables of README.md and docs/faults.md from the fault registry
// (src/lab/fault-docs.ts; issue 12). Run after `npm run build`; test/run/fault-docs.test.ts fails
// until the pages agree with the registry.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { FAULT_DOC_PAGES, renderFaultDocBlock, replaceDocBlock } = require('../dist/src/lab/fault-docs');

const root = path.resolve(__dirname, '..');
for (const { file, block } of FAULT_DOC_PAGES) {
  const p = path.join(root, file);
  const before = fs.readFileSync(p, 'utf8');
  const after = replaceDocBlock(before, block, renderFaultDocBlock(block));
  if (after === undefined) {
    process.stderr.write(`${file}: no <!-- BEGIN ${block}: … --> / <!-- END ${block} --> markers\n`);
    process.exitCode = 2;
    continue;
  }
  if (after !== before) fs.writeFileSync(p, after);
  process.stdout.write(`${file}: ${after === before ? 'up to date' : 'rewritten'}\n`);
}
