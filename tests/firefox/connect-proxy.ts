/**
 * A loopback HTTP CONNECT proxy that pipes the Astra host names to the replica and refuses every other host:
 * Firefox has no --host-resolver-rules, and the production manifest must stay unchanged.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface ConnectProxy {
  port: number;
  /** Every CONNECT target asked for, in order (`host:port`). */
  requested: string[];
  close(): Promise<void>;
}

export async function startConnectProxy(options: { hosts: readonly string[]; targetPort: number }): Promise<ConnectProxy> {
  const requested: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    client.once('data', (head) => {
      const [method, target = ''] = head.toString('latin1').split('\r\n', 1)[0]!.split(' ');
      requested.push(target);
      const host = target.replace(/:\d+$/, '').toLowerCase();
      if (method !== 'CONNECT' || !options.hosts.includes(host)) {
        client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const upstream = connect(options.targetPort, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    requested,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
