import type { NatsConnection } from '@nats-io/transport-node';
import { UsageError, errorMessage } from '../errors.js';

/** The NATS URL to use: the flag, else NIXFORGE_NATS_URL, else none. */
export function natsUrlFrom(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const url = flag ?? env.NIXFORGE_NATS_URL;
  return url === undefined || url.trim() === '' ? undefined : url.trim();
}

export interface ConnectOptions {
  /** Connection name shown in the server's monitoring. */
  name?: string;
  /** How long the first connection attempt may take. */
  timeoutMs?: number;
}

/**
 * Connects to NATS, reconnecting forever after the first success (callers bound outages themselves).
 * A server that cannot be reached at all is a UsageError naming the URL.
 */
export async function connectNats(url: string, options: ConnectOptions = {}): Promise<NatsConnection> {
  // Imported here rather than at the top so that commands which only might connect (a scan without --nats) never
  // load the NATS client.
  const { connect } = await import('@nats-io/transport-node');
  try {
    return await connect({
      servers: url.split(',').map((server) => server.trim()),
      name: options.name ?? 'nixforge',
      timeout: options.timeoutMs ?? 5000,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      reconnectJitter: 100,
      // An Error with a stack per request would cost about a third of the publisher's CPU; our errors name the
      // operation themselves. NIXFORGE_DEBUG brings the traces back.
      noAsyncTraces: !process.env.NIXFORGE_DEBUG,
    });
  } catch (error) {
    throw new UsageError(`cannot reach the NATS server at ${url}: ${errorMessage(error)}`);
  }
}
