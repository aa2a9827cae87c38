import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/main';
import { runCli } from '../helpers/run-cli';
import { useSilentNode } from '../helpers/silent-node';

/**
 * --neutron-state-path: one definition (src/cli/neutron-state-path.ts) for every command that
 * reads neutron's ha_confs on the nodes. garp watch, garp verify and drill failover read HA
 * states too and had no way to be told where a containerised agent keeps them (issue 12).
 * A bad value is a usage error naming the flag, before any node is contacted.
 */
const COMMANDS = [['run'], ['where'], ['doctor'], ['garp', 'watch'], ['garp', 'verify'], ['drill', 'failover']];


describe('--neutron-state-path: one flag wherever ha_confs is read (issue 12)', () => {
  const program = buildProgram();
  const find = (names: string[]): Command | undefined => names.reduce<Command | undefined>((c, n) => c?.commands.find((x) => x.name() === n), program);

  it('run, where, doctor, garp watch, garp verify and drill failover offer it with the same help line', () => {
    const helps = COMMANDS.map((c) => find(c)?.options.find((o) => o.long === '--neutron-state-path')?.description);
    for (const [i, h] of helps.entries()) expect(h, COMMANDS[i].join(' ')).to.be.a('string').and.include('default /var/lib/neutron');
    expect(new Set(helps).size).to.equal(1);
  });

  describe('a bad value, with a node that would answer (a listener on 127.0.0.1)', () => {
    const node = useSilentNode('net9', 'network');
    const { sockets, dir } = node;
    let inv = '';
    let facts = '';
    before(() => {
      inv = node.inventory();
      facts = path.join(dir, 'facts.json');
      fs.writeFileSync(facts, JSON.stringify({ routers: [], ports: [], floatingIps: [] }));
    });

    const argsOf = (c: string[]): string[] => {
      const common = ['--neutron-state-path', '/var/lib/../neutron'];
      if (c[0] === 'run') return [...c, '-i', inv, '-p', 'neutron-l3ha', ...common];
      if (c[0] === 'where') return [...c, '203.0.113.10', '-i', inv, ...common];
      if (c[0] === 'doctor') return [...c, '-i', inv, ...common];
      if (c[1] === 'watch') return [...c, '-i', inv, '--duration', '1s', ...common];
      if (c[1] === 'verify') return [...c, '-i', inv, '-f', facts, '-p', 'neutron-l3ha', '--fip', '203.0.113.10', ...common];
      return [...c, '-i', inv, '-f', facts, '-p', 'neutron-l3ha', '--fault', 'kill-keepalived', '--yes-i-mean-it', ...common];
    };
    for (const c of COMMANDS) {
      it(`${c.join(' ')}: exit 2 naming the flag, no node contacted`, async () => {
        const r = await runCli(argsOf(c));
        expect(r.status, r.stderr).to.equal(2);
        expect(r.stderr).to.include('--neutron-state-path').and.include("without '..'");
        expect(sockets.size).to.equal(0);
      });
    }

    it('garp watch on a file: the flag is refused (it is read on the nodes)', async () => {
      const pcap = path.join(dir, 'empty.txt');
      fs.writeFileSync(pcap, '');
      const r = await runCli(['garp', 'watch', '--text', pcap, '--neutron-state-path', '/var/lib/kolla/neutron']);
      expect(r.status, r.stderr).to.equal(2);
      expect(r.stderr).to.include('--neutron-state-path is read on the nodes');
    });
  });
});
