/**
 * Notifications: the store's outbox published to an AMQP exchange (RabbitMQ) in Heat's notification format. The
 * store writes the outbox (`createStore(url, { outbox: true })`); an {@link OutboxPublisher} in any process that
 * opens the store publishes it. See docs/operations.md, "Notifications".
 */
import { checkBrokerUrl, checkExchangeName } from './broker.js';

export { OutboxPublisher } from './outbox-publisher.js';
export type {
  OutboxPublisherOptions,
  OutboxPublisherStats,
  OutboxPublisherStore,
} from './outbox-publisher.js';
export { checkBrokerUrl, checkExchangeName, redactBrokerUrl } from './broker.js';

/** Where a process publishes notifications (`--notify-url`, `--notify-exchange`). */
export interface NotifyOptions {
  /** `amqp://USER:PASSWORD@HOST:PORT/VHOST` (or `amqps://`). */
  url: string;
  /** Exchange (topic, durable); default `heat`. */
  exchange?: string;
}

/** Checks notification options before anything starts; throws a precise error naming the option. */
export function checkNotifyOptions(options: NotifyOptions): void {
  checkBrokerUrl(options.url, '--notify-url');
  if (options.exchange !== undefined) checkExchangeName(options.exchange, '--notify-exchange');
}
