/**
 * The AMQP side of notifications: checking the `--notify-url` / `--notify-exchange` values, and opening a
 * connection with a confirm channel on which the exchange (topic, durable) is declared.
 */
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';

/** Heartbeat (seconds) asked for when the URL does not say: a silently lost broker is noticed within ~2 of them. */
const DEFAULT_HEARTBEAT_SECONDS = 10;
/** Give up opening a connection after this long (ms). */
const CONNECT_TIMEOUT_MS = 5000;
/** RabbitMQ's exchange names: up to 255 of these characters. */
const EXCHANGE_NAME = /^[A-Za-z0-9_.:-]{1,255}$/;

/** Checks a broker URL (`amqp://USER:PASSWORD@HOST:PORT/VHOST`, or `amqps://`); throws a precise error. */
export function checkBrokerUrl(url: string, option = '--notify-url'): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${option} must be an amqp:// or amqps:// URL, got "${redactBrokerUrl(url)}"`);
  }
  if (parsed.protocol !== 'amqp:' && parsed.protocol !== 'amqps:') {
    throw new Error(
      `${option} must be an amqp:// or amqps:// URL, got scheme "${parsed.protocol.replace(/:$/, '')}"`,
    );
  }
  if (parsed.hostname === '') throw new Error(`${option} names no host: "${redactBrokerUrl(url)}"`);
  return parsed;
}

/** Checks an exchange name; throws a precise error. */
export function checkExchangeName(name: string, option = '--notify-exchange'): string {
  if (!EXCHANGE_NAME.test(name)) {
    throw new Error(
      `${option} must be 1-255 characters among letters, digits, '-', '_', '.' and ':', got "${name}"`,
    );
  }
  if (name.startsWith('amq.')) {
    throw new Error(`${option} must not start with "amq." (reserved by the broker), got "${name}"`);
  }
  return name;
}

/** The URL with its password replaced by `***` (for messages). */
export function redactBrokerUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
}

/** An open connection and its confirm channel, with the exchange declared. */
export interface BrokerLink {
  readonly connection: ChannelModel;
  readonly channel: ConfirmChannel;
}

/** Options of {@link openBrokerLink}. */
export interface BrokerLinkOptions {
  /** Exchange declared (type topic, durable). */
  exchange: string;
  /** Shown by the broker (`rabbitmqctl list_connections client_properties`). */
  connectionName: string;
}

/**
 * Connects to the broker, opens a confirm channel and declares the exchange (topic, durable). A failure at any step
 * closes what was opened and throws.
 */
export async function openBrokerLink(url: string, options: BrokerLinkOptions): Promise<BrokerLink> {
  const parsed = checkBrokerUrl(url);
  if (!parsed.searchParams.has('heartbeat')) {
    parsed.searchParams.set('heartbeat', String(DEFAULT_HEARTBEAT_SECONDS));
  }
  const connection = await connect(parsed.toString(), {
    timeout: CONNECT_TIMEOUT_MS,
    clientProperties: { connection_name: options.connectionName, product: 'hearth' },
  });
  // Errors are also reported by 'close'; without a listener an 'error' event would crash the process.
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
    await channel.assertExchange(options.exchange, 'topic', { durable: true });
    return { connection, channel };
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}
