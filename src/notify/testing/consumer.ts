/**
 * A notification consumer for tests: a fresh exclusive queue on the real broker, bound to an exchange, collecting
 * every message with its AMQP properties.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import type { Notification } from '../../store/notification.js';

/** The broker the tests use. */
export const TEST_BROKER_URL = process.env['HEARTH_TEST_AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A received message. */
export interface ReceivedNotification {
  body: Notification;
  routingKey: string;
  messageId: string | undefined;
  deliveryMode: number | undefined;
  contentType: string | undefined;
  /** When it arrived (ms since the epoch). */
  receivedAt: number;
}

/** A running consumer. */
export interface TestConsumer {
  readonly exchange: string;
  readonly received: ReceivedNotification[];
  /** Resolves once `predicate` holds over the received messages (polling), or rejects after `timeoutMs`. */
  until(predicate: (received: readonly ReceivedNotification[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Closes the consumer and deletes the exchange. */
  close(): Promise<void>;
}

/** A unique exchange name for one test (`hearth-test-…`). */
export function testExchangeName(): string {
  return `hearth-test-${randomBytes(5).toString('hex')}`;
}

/** Declares `exchange` (topic, durable, as the publisher does) and consumes everything sent to it. */
export async function startTestConsumer(exchange: string, bindingKey = '#'): Promise<TestConsumer> {
  const connection: ChannelModel = await connect(TEST_BROKER_URL);
  connection.on('error', () => undefined);
  const channel: Channel = await connection.createChannel();
  await channel.assertExchange(exchange, 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, exchange, bindingKey);
  const received: ReceivedNotification[] = [];
  await channel.consume(
    queue,
    (message) => {
      if (message === null) return;
      received.push({
        body: JSON.parse(message.content.toString('utf8')) as Notification,
        routingKey: message.fields.routingKey,
        messageId: message.properties.messageId as string | undefined,
        deliveryMode: message.properties.deliveryMode as number | undefined,
        contentType: message.properties.contentType as string | undefined,
        receivedAt: Date.now(),
      });
    },
    { noAck: true },
  );
  return {
    exchange,
    received,
    async until(predicate, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > deadline) {
          throw new Error(`consumer: condition not met within ${timeoutMs} ms (${received.length} received)`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close() {
      await channel.deleteExchange(exchange).catch(() => undefined);
      await connection.close().catch(() => undefined);
    },
  };
}
