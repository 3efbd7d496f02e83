// A TCP proxy in front of an upstream whose connections a test can cut, as a network that drops them would: every
// connection, or only the WebSocket ones (an HTTP request whose first line is `GET /ws`), are destroyed now and any
// new one is destroyed as soon as it sends its first bytes, until `restore`.
import net from 'node:net';

export type Cut = 'none' | 'feed' | 'all';

export class CuttableProxy {
  private cut: Cut = 'none';
  private readonly feeds = new Set<net.Socket>();
  private readonly others = new Set<net.Socket>();

  private readonly server: net.Server;
  private base = '';

  private constructor(target: string) {
    const { hostname, port } = new URL(target);
    this.server = net.createServer((client) => this.accept(client, hostname, Number(port)));
  }

  /** `http://127.0.0.1:<port>` of the proxy. */
  get url(): string {
    return this.base;
  }

  /** A proxy on a free loopback port forwarding to `target` (`http://host:port`). */
  static async start(target: string): Promise<CuttableProxy> {
    const proxy = new CuttableProxy(target);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.base = `http://127.0.0.1:${(proxy.server.address() as net.AddressInfo).port}`;
    return proxy;
  }

  /** Destroys the connections `which` names and refuses new ones until `restore`. */
  drop(which: 'feed' | 'all'): void {
    this.cut = which;
    for (const socket of which === 'all' ? [...this.feeds, ...this.others] : [...this.feeds]) socket.destroy();
  }

  restore(): void {
    this.cut = 'none';
  }

  async close(): Promise<void> {
    for (const socket of [...this.feeds, ...this.others]) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket, host: string, port: number): void {
    client.on('error', () => undefined);
    client.once('data', (first: Buffer) => {
      client.pause();
      const feed = first.subarray(0, 8).toString('latin1') === 'GET /ws ' || first.subarray(0, 8).toString('latin1') === 'GET /ws?';
      if (this.cut === 'all' || (feed && this.cut === 'feed')) return void client.destroy();
      const kind = feed ? this.feeds : this.others;
      const upstream = net.connect(port, host, () => {
        upstream.write(first);
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.on('error', () => client.destroy());
      kind.add(client);
      const forget = () => {
        kind.delete(client);
        upstream.destroy();
        client.destroy();
      };
      client.once('close', forget);
      upstream.once('close', forget);
    });
  }
}
