import * as net from 'node:net';

/** TCP connect to port 22 and read the "SSH-2.0-…" banner: proves sshd answers, without logging in */
export function probeSshBanner(address: string, port = 22, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: address, port });
    let done = false;
    const finish = (ok: boolean): void => {
      if (done) return;
      done = true;
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => finish(false));
    sock.on('data', (d: Buffer) => finish(d.toString('latin1').startsWith('SSH-')));
    sock.on('error', () => finish(false));
    sock.on('close', () => finish(false));
  });
}
