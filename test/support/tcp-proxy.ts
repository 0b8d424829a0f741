import { AddressInfo, Server, Socket, createServer, connect } from 'node:net';

/**
 * A TCP proxy in front of a real server, to cut one client off without touching the
 * server others use: `cut()` drops every connection and refuses new ones, `restore()`
 * lets them through again.
 */
export async function startTcpProxy(
  targetHost: string,
  targetPort: number,
): Promise<{
  port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let open = true;
  const server: Server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const cut = () => {
    open = false;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  return {
    port: (server.address() as AddressInfo).port,
    cut,
    restore() {
      open = true;
    },
    close() {
      cut();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
