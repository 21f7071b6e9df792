import { connect, createServer } from 'node:net';
import type { Config } from '../../lib/config';

/** Resolves when `port` can be bound on 127.0.0.1 (0: a free one, which it answers). */
export function bindable(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : port));
    });
  });
}

/** Resolves once something accepts connections on `port`. */
export function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.end();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline)
          reject(new Error(`nothing listened on port ${port} in ${timeoutMs} ms`));
        else setTimeout(attempt, 250);
      });
    };
    attempt();
  });
}

/**
 * Every port is checked before anything starts: a second sandbox must not answer "ready"
 * with keys that belong to nothing. Picks a free port for serverless offline's Lambda API
 * (used by the timers) when SANDBOX_LAMBDA_PORT is unset, and writes it into `env`.
 */
export async function reservePorts(
  env: NodeJS.ProcessEnv,
  { port, sandboxLambdaPort }: Config['platform'],
): Promise<void> {
  if ((await bindable(port)) === undefined) {
    throw new Error(
      `port ${port} (PORT) is taken: is another sandbox running? Stop it, or start this one with PORT=<another port>`,
    );
  }
  const lambdaPort = await bindable(sandboxLambdaPort);
  if (lambdaPort === undefined)
    throw new Error(`port ${sandboxLambdaPort} (SANDBOX_LAMBDA_PORT) is taken`);
  env.SANDBOX_LAMBDA_PORT = String(lambdaPort);
}
