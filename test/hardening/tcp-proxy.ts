import * as net from 'node:net';

/**
 * A TCP proxy between haprobe and an sshd, for tests that cut the link. `cut()` is a dead link as
 * both ends see it (sockets destroyed, listener closed: sshd's session ends); `cutClientSide()` is
 * a link only haprobe sees die (its socket destroyed, the sshd side kept open and silent, so the
 * remote session and its commands stay — the case only a kill after reconnecting can clean up).
 */
export interface TcpProxy {
  port: number;
  /** connections accepted so far */
  accepted(): number;
  cut(): Promise<void>;
  cutClientSide(): void;
  close(): Promise<void>;
}

export function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const clients = new Set<net.Socket>();
  const upstreams = new Set<net.Socket>();
  let count = 0;
  const srv = net.createServer((client) => {
    count++;
    const up = net.connect(targetPort, targetHost);
    clients.add(client);
    upstreams.add(up);
    client.on('error', () => undefined);
    up.on('error', () => undefined);
    client.pipe(up);
    up.pipe(client);
    client.on('close', () => {
      clients.delete(client);
      client.unpipe(up);
      up.unpipe(client);
    });
    up.on('close', () => {
      upstreams.delete(up);
      if (!client.destroyed) client.destroy();
    });
  });
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      for (const s of [...clients, ...upstreams]) s.destroy();
      srv.close(() => resolve());
    });
  return new Promise((resolve) => {
    srv.listen(0, '127.0.0.1', () =>
      resolve({
        port: (srv.address() as net.AddressInfo).port,
        accepted: () => count,
        cut: close,
        cutClientSide: () => {
          for (const c of [...clients]) {
            // keep the sshd side open but deaf: nothing it sends reaches anyone, it sees no FIN
            for (const u of upstreams) {
              c.unpipe(u);
              u.unpipe(c);
              u.pause();
            }
            c.destroy();
          }
        },
        close,
      }),
    );
  });
}
