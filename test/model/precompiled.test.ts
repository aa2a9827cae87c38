import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FACTS_SCHEMA } from '../../src/model/facts-schema';
import { loadPrecompiled } from '../../src/model/precompiled';
import { AJV_OPTIONS, compileValidator, newAjv } from '../../src/model/validate-schema';
import { RUN_RESULT_AJV_OPTIONS } from '../../src/report/validate-run-result';
import { PROFILES } from '../../src/lab/profiles';
import { BAD, labFacts } from './bad-facts';

/**
 * Issue 10: `npm run build` generates ajv standalone validators for the facts and run-result
 * schemas (scripts/build-validators.js), so a run does not compile them (0.1–0.2 s idle, ~1 s
 * under load). They must judge exactly as the compiled ones, and a stale one is never used.
 */
const RUN_SCHEMA = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../reports/run-result.schema.json'), 'utf8')) as object;
const GENERATED = path.resolve(__dirname, '../../src/model/facts-validator.generated.js');

describe('precompiled validators (issue 10)', () => {
  before(function () {
    // a plain `tsc` build has no generated files (the code then compiles, as before); `npm run build` / `npm test` make them
    if (!fs.existsSync(GENERATED)) this.skip();
  });

  it('the build made both, and they are the ones used', () => {
    expect(loadPrecompiled('facts-validator', FACTS_SCHEMA, AJV_OPTIONS)).to.be.a('function');
    expect(loadPrecompiled('run-result-validator', RUN_SCHEMA, RUN_RESULT_AJV_OPTIONS)).to.be.a('function');
  });

  it('a schema changed since the build (or other options): not used, the caller compiles', () => {
    const changed = JSON.parse(JSON.stringify(FACTS_SCHEMA)) as { required: string[] };
    changed.required = [...changed.required, 'routers'];
    expect(loadPrecompiled('facts-validator', changed, AJV_OPTIONS)).to.equal(undefined);
    expect(loadPrecompiled('facts-validator', FACTS_SCHEMA, { ...AJV_OPTIONS, allErrors: true })).to.equal(undefined);
    expect(loadPrecompiled('no-such-validator', FACTS_SCHEMA, AJV_OPTIONS)).to.equal(undefined);
  });

  it('facts: the generated validator accepts every lab profile\'s facts and refuses each bad one with the compiled one\'s path and message', () => {
    const generated = compileValidator(FACTS_SCHEMA, loadPrecompiled('facts-validator', FACTS_SCHEMA, AJV_OPTIONS));
    const compiled = compileValidator(FACTS_SCHEMA, newAjv().compile(FACTS_SCHEMA));
    for (const p of PROFILES) {
      const a = labFacts(p.id);
      const b = labFacts(p.id);
      expect(generated(a), p.id).to.equal(undefined);
      expect(compiled(b), p.id).to.equal(undefined);
      expect(a, 'the same defaults filled in').to.deep.equal(b);
    }
    for (const [what, change] of BAD) {
      const a = labFacts('neutron-dvr-snat-ha');
      a.upstream = { ...a.upstream, namespace: 'up' };
      change(a);
      const b = JSON.parse(JSON.stringify(a)) as unknown;
      expect(generated(a), what).to.deep.equal(compiled(b)).and.not.equal(undefined);
    }
  });
});
