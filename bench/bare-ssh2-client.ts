import { readFileSync } from 'node:fs';
import { Client } from 'ssh2';

/**
 * The least a Node.js SSH tool does to collect (issue 10: what "run − floor" cannot go below with
 * ssh2): a process that loads ssh2, connects to every node at once, runs the snapshot script,
 * reads its output and exits. No inventory, profile, host key check, parsing, checks or report:
 * `haprobe run` minus this is haprobe's own cost. `node bare-ssh2-client.js JOB.json`
 */
export interface BareJob {
  /** private key file */
  key: string;
  nodes: { host: string; port: number; user: string; script: string }[];
}

function main(jobFile: string): void {
  const job = JSON.parse(readFileSync(jobFile, 'utf8')) as BareJob;
  const privateKey = readFileSync(job.key);
  let left = job.nodes.length;
  let bytes = 0;
  const done = (): void => {
    left -= 1;
    if (left === 0) process.stdout.write(`${bytes}\n`);
  };
  for (const n of job.nodes) {
    const c = new Client();
    let over = false;
    const end = (err?: Error): void => {
      if (over) return;
      over = true;
      if (err) {
        process.stderr.write(`${n.host}: ${err.message}\n`);
        process.exitCode = 1;
      }
      c.end();
      done();
    };
    c.on('error', end);
    c.on('ready', () =>
      c.exec('sh -s', (err, channel) => {
        if (err) return end(err);
        channel.on('data', (d: Buffer) => void (bytes += d.length));
        channel.stderr.resume();
        channel.on('close', () => end());
        channel.end(n.script);
      }),
    );
    c.connect({ host: n.host, port: n.port, username: n.user, privateKey, readyTimeout: 20_000 });
  }
}

if (require.main === module) main(process.argv[2]!);
