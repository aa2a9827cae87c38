import type { Command } from 'commander';
import { readCloudFacts } from '../../openstack/facts-from-cloud';
import { writeFileAtomic } from '../../report/write-file-atomic';
import { checkOutputFile, parseFileMode, parseTimeoutSeconds } from '../options';

export interface FactsCommandOptions {
  cloud?: string;
  output?: string;
  apiTimeout: string;
  debugApi?: boolean;
  fileMode?: string;
  quiet?: boolean;
}

/** default per-request budget of the cloud API, seconds */
export const API_TIMEOUT_DEFAULT = '30';

/**
 * `haprobe facts --cloud NAME [-o facts.json]`: the facts `run --cloud` would use, read from
 * the cloud's API (read-only GETs), written for review or as a --facts file to edit and reuse.
 * Exit 0 written · 2 no usable cloud, API refused or unreachable (typed, one line).
 */
export function registerFactsCommand(program: Command): void {
  program
    .command('facts')
    .summary('build the facts file from the cloud\'s API (clouds.yaml / OS_*)')
    .description(
      'Read routers, ports, floating IPs, networks, subnets, agents and the L3 agents hosting each router ' +
        '(with their HA state) from the Neutron API, and write them as a haprobe facts file. Read-only. ' +
        'The cloud comes from clouds.yaml (./, ~/.config/openstack/, /etc/openstack/, secure.yaml merged) ' +
        'or the OS_* variables. See docs/cloud-api.md.',
    )
    .option('--cloud <name>', 'clouds.yaml entry (default: $OS_CLOUD, else the OS_* variables)')
    .option('-o, --output <file>', 'write the facts here (JSON, atomically) instead of stdout')
    .option('--api-timeout <seconds>', 'budget of one API request', API_TIMEOUT_DEFAULT)
    .option('--debug-api', 'print each API request (method, URL, status, time; never a secret) on stderr')
    .option('--file-mode <octal>', 'permission bits of the --output file (default 600)')
    .option('-q, --quiet', 'no progress or warnings on stderr')
    .addHelpText('after', '\nExit codes: 0 facts written · 2 no usable cloud, or the API refused / failed (one line names the request)')
    .action(async (opts: FactsCommandOptions) => {
      const mode = opts.fileMode !== undefined ? parseFileMode(opts.fileMode) : 0o600;
      if (opts.output) checkOutputFile(opts.output, '--output');
      const say = (t: string): void => {
        if (!opts.quiet) process.stderr.write(`haprobe: ${t}\n`);
      };
      const got = await readCloudFacts({
        cloud: opts.cloud,
        timeoutMs: parseTimeoutSeconds(opts.apiTimeout, '--api-timeout'),
        ...(opts.debugApi ? { debug: (l: string) => void process.stderr.write(`haprobe: api: ${l}\n`) } : {}),
        onProgress: say,
      });
      for (const w of got.warnings) say(`warning: ${w}`);
      const text = JSON.stringify(got.facts, null, 2) + '\n';
      if (opts.output) {
        writeFileAtomic(opts.output, text, { mode });
        say(`facts of ${got.source} written to ${opts.output} (${got.facts.routers.length} routers, ${got.facts.ports.length} ports, ${got.facts.floatingIps.length} floating IPs, ${got.facts.agents.length} agents)`);
      } else process.stdout.write(text);
    });
}
