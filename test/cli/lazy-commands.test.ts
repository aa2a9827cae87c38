import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Command } from 'commander';
import { COMMANDS, selectRegistrations, type LazyCommand, type RegisterCommand } from '../../src/cli/commands';

/**
 * Issue 10, start-up cost: the CLI loads only the module of the command it runs, and ssh2, yaml
 * and ajv only when a node is contacted or a file parsed or validated.
 */
const DIST_SRC = path.resolve(__dirname, '../../src');

const namesAdded = (register: RegisterCommand): string[] => {
  const program = new Command('haprobe');
  register(program);
  return program.commands.map((c) => c.name());
};

/** the packages a fresh process has loaded after `buildProgram(args)` */
function packagesLoadedBy(args: string[]): string[] {
  const script = `require(${JSON.stringify(path.join(DIST_SRC, 'cli/main.js'))}).buildProgram(${JSON.stringify(args)});
    const pkgs = Object.keys(require.cache).filter((f) => f.includes('/node_modules/')).map((f) => f.split('/node_modules/').pop().split('/')[0]);
    process.stdout.write(JSON.stringify([...new Set(pkgs)]));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).to.equal(0);
  return JSON.parse(r.stdout) as string[];
}

describe('cli start-up: only what the invoked command needs (issue 10)', () => {
  const lazies = COMMANDS.filter((e): e is LazyCommand => typeof e !== 'function');

  for (const entry of lazies)
    it(`the entry for ${entry.names.join(', ')} names exactly the commands its module registers`, () => {
      expect(namesAdded(entry.load())).to.deep.equal([...entry.names]);
    });

  it('a named command: its registration only; a bare --version: none; anything else: all, in order', () => {
    const plain: RegisterCommand = (p) => void p.command('plain');
    const entries = [...COMMANDS, plain];
    const names = (args: string[]): string[] => selectRegistrations(entries, args).flatMap(namesAdded);
    const all = names([]);
    expect(all).to.include.members(['run', 'where', 'checks', 'profiles', 'plain']);
    expect(names(['run', '--help'])).to.deep.equal(['run', 'plain']);
    expect(names(['profiles'])).to.deep.equal(['checks', 'profiles', 'plain']);
    expect(names(['--version'])).to.deep.equal([]);
    expect(names(['-V'])).to.deep.equal([]);
    for (const args of [['--help'], ['help', 'run'], ['rnu'], ['plain'], ['--version', 'run']]) expect(names(args), args.join(' ')).to.deep.equal(all);
  });

  it('--version and run --help load neither ssh2 nor yaml nor ajv', () => {
    const loaded = packagesLoadedBy(['run', '--help']);
    for (const pkg of ['ssh2', 'yaml', 'ajv']) expect(loaded, pkg).to.not.include(pkg);
    expect(packagesLoadedBy(['--version'])).to.deep.equal(['commander']);
  });
});
