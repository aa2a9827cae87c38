#!/usr/bin/env node
'use strict';
/**
 * Build step after tsc (`npm run build`): ajv standalone code for the schemas every `run` validates
 * (facts, run result), written next to src/model/precompiled.js in dist/ with the digest of the
 * schema and options they were made from. At run time src/model/precompiled.ts uses a generated
 * validator only when that digest still matches, else compiles as before (issue 10: the compile
 * cost 0.1–0.2 s of each run, ~1 s under load).
 */
const fs = require('node:fs');
const path = require('node:path');
const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist', 'src', 'model');
const { _ } = require('ajv');
const standaloneCode = require('ajv/dist/standalone').default;
const { newAjv, AJV_OPTIONS } = require(path.join(dist, 'validate-schema.js'));
const { FACTS_SCHEMA } = require(path.join(dist, 'facts-schema.js'));
const { schemaDigest } = require(path.join(dist, 'precompiled.js'));
const { RUN_RESULT_AJV_OPTIONS } = require(path.join(root, 'dist', 'src', 'report', 'validate-run-result.js'));
const runResultSchema = JSON.parse(fs.readFileSync(path.join(root, 'reports', 'run-result.schema.json'), 'utf8'));

function generate(name, schema, ajv, options) {
  const code = standaloneCode(ajv, ajv.compile(schema));
  const text = `${code}\nmodule.exports.validate = module.exports.default || module.exports;\nmodule.exports.digest = ${JSON.stringify(schemaDigest(schema, options))};\n`;
  const file = path.join(dist, `${name}.generated.js`);
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
  return `${path.relative(root, file)} (${text.length} bytes)`;
}

const code = { source: true, formats: _`require("./validate-schema.js").AJV_FORMATS` };
const made = [
  generate('facts-validator', FACTS_SCHEMA, newAjv({ code }), AJV_OPTIONS),
  generate('run-result-validator', runResultSchema, new (require('ajv').default)({ ...RUN_RESULT_AJV_OPTIONS, code: { source: true } }), RUN_RESULT_AJV_OPTIONS),
];
process.stdout.write(`precompiled validators: ${made.join(', ')}\n`);
