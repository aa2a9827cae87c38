import * as fs from 'fs';
import { expect } from 'chai';
import { corpusPath, listCorpusFiles, splitCorpusSample } from '../helpers/corpus';
import { CORPUS_FOLDERS, NO_PARSER, commandOfHeader, parserForCommand } from './corpus-table';

/** Header words by which the corpus flags outputs altered by their publisher (INDEX.md). */
const ALTERED = /WRAPPED|MANGLED|PARTIAL|ELIDED|elided|EDITED BY AUTHOR|NOTE/;
/** Unaltered files whose published text still carries non-output lines around the table. */
const EXPECTED_NOISE: Record<string, string> = {
  'l3ha/kaplonski-l3-agent-list-hosting-router-active-standby.txt': 'neutron CLI deprecation notice',
  'ovs-flows/hustcat-dvr-compute1-ovs-vsctl-show.txt': 'the author\'s "#### …" comments after two port names',
  'openstack-cli/hopkins-l3ha-neutron-net-list-ha-network.txt': 'RST prose and "$ neutron net-list" prompt; table body not published',
};
/** Files that parse to nothing on purpose. */
const EXPECTED_EMPTY = new Set(['openstack-cli/hopkins-l3ha-neutron-net-list-ha-network.txt']);

function sizeOf(v: unknown): number {
  if (Array.isArray(v)) return v.length;
  const o = v as Record<string, unknown>;
  for (const k of ['rules', 'bridges', 'rows', 'instances']) if (Array.isArray(o[k])) return (o[k] as unknown[]).length;
  return Object.keys(o).length;
}

describe('parse: every corpus file of the parsed kinds', () => {
  for (const folder of CORPUS_FOLDERS) {
    for (const file of listCorpusFiles(folder)) {
      it(`${file}`, () => {
        const sample = splitCorpusSample(fs.readFileSync(corpusPath(file), 'utf8'));
        const command = commandOfHeader(sample.header);
        const parser = parserForCommand(command);
        if (parser === undefined) {
          expect(NO_PARSER, `no parser claims "${command}"`).to.have.property(file);
          return;
        }
        expect(NO_PARSER).not.to.have.property(file);
        const result = parser.parse(sample.body);
        const lineCount = sample.body.split('\n').length;
        for (const w of result.warnings) {
          expect(w.line, JSON.stringify(w)).to.be.within(1, lineCount);
          expect(w.message).to.be.a('string').and.not.equal('');
        }
        if (EXPECTED_EMPTY.has(file)) expect(sizeOf(result.value)).to.equal(0);
        else expect(sizeOf(result.value), `${parser.name} found nothing`).to.be.greaterThan(0);
        const altered = sample.header.some((h) => ALTERED.test(h));
        // altered outputs may or may not warn (a stripped indent is still readable); clean ones must not
        if (!altered && !(file in EXPECTED_NOISE)) {
          expect(result.warnings, `${parser.name} warned on an unaltered output`).to.deep.equal([]);
        }
        // JSON-serialisable (snapshots are saved and replayed)
        expect(JSON.parse(JSON.stringify(result.value))).to.deep.equal(result.value);
      });
    }
  }
});
