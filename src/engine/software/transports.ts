/**
 * How deployments signal their outputs back (`signal_transport`) and how servers poll for their deployments
 * (`software_config_transport`): Heat's names, and the subset Hearth serves. The others need services Hearth does
 * not run (the CFN API, Swift, Zaqar), so templates naming them are refused at validation with a clear message.
 */
import { HeatError } from '../../template/errors.js';

/** Heat's deployment signal transports. */
export const SIGNAL_TRANSPORTS = [
  'CFN_SIGNAL',
  'TEMP_URL_SIGNAL',
  'HEAT_SIGNAL',
  'NO_SIGNAL',
  'ZAQAR_SIGNAL',
] as const;
/** One of {@link SIGNAL_TRANSPORTS}. */
export type SignalTransport = (typeof SIGNAL_TRANSPORTS)[number];

/** The signal transports Hearth serves. */
export const SERVED_SIGNAL_TRANSPORTS: readonly SignalTransport[] = [
  'HEAT_SIGNAL',
  'TEMP_URL_SIGNAL',
  'NO_SIGNAL',
];

/** Hearth's `default_deployment_signal_transport`. */
export const DEFAULT_SIGNAL_TRANSPORT: SignalTransport = 'HEAT_SIGNAL';

/** Heat's server software config transports. */
export const SERVER_TRANSPORTS = [
  'POLL_SERVER_CFN',
  'POLL_SERVER_HEAT',
  'POLL_TEMP_URL',
  'ZAQAR_MESSAGE',
] as const;

/** The server transport Hearth serves (its agent polls the agent API). */
export const SERVED_SERVER_TRANSPORT = 'POLL_SERVER_HEAT';

const SIGNAL_TRANSPORT_NEEDS: Readonly<Record<string, string>> = {
  CFN_SIGNAL: 'the CloudFormation-compatible API (heat-api-cfn)',
  ZAQAR_SIGNAL: 'the Zaqar messaging service',
};

const SERVER_TRANSPORT_NEEDS: Readonly<Record<string, string>> = {
  POLL_SERVER_CFN: 'the CloudFormation-compatible API (heat-api-cfn)',
  POLL_TEMP_URL: 'Swift temporary URLs',
  ZAQAR_MESSAGE: 'the Zaqar messaging service',
};

/**
 * Refuses a signal transport Hearth does not serve.
 * @throws HeatError StackValidationFailed naming the property, the value and what to use instead.
 */
export function checkSignalTransport(resourceName: string, transport: unknown): void {
  if (typeof transport !== 'string' || SERVED_SIGNAL_TRANSPORTS.includes(transport as SignalTransport))
    return;
  const needs = SIGNAL_TRANSPORT_NEEDS[transport];
  if (!needs) return;
  throw new HeatError(
    'StackValidationFailed',
    `Property error: resources.${resourceName}.properties.signal_transport: ${transport} needs ${needs}, which ` +
      `Hearth does not provide; use one of ${SERVED_SIGNAL_TRANSPORTS.join(', ')}.`,
  );
}

/**
 * Refuses a server transport Hearth does not serve.
 * @throws HeatError StackValidationFailed naming the property, the value and what to use instead.
 */
export function checkServerTransport(resourceName: string, transport: unknown): void {
  if (typeof transport !== 'string' || transport === SERVED_SERVER_TRANSPORT) return;
  const needs = SERVER_TRANSPORT_NEEDS[transport];
  if (!needs) return;
  throw new HeatError(
    'StackValidationFailed',
    `Property error: resources.${resourceName}.properties.software_config_transport: ${transport} needs ` +
      `${needs}, which Hearth does not provide; use ${SERVED_SERVER_TRANSPORT} (Hearth's agent polls the ` +
      `agent API).`,
  );
}
