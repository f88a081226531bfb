import { describe, expect, it } from 'vitest';
import type { SoftwareConfigRecord, SoftwareDeploymentRecord } from './records.js';
import { signalOutcome } from './signal.js';

const config: SoftwareConfigRecord = {
  id: 'c1',
  projectId: 'p',
  name: 'cfg',
  group: 'script',
  config: 'echo',
  inputs: [],
  outputs: [
    { name: 'result', type: 'String', error_output: false },
    { name: 'oops', type: 'String', error_output: true },
  ],
  options: null,
  createdAt: '2024-01-01T00:00:00.000Z',
};

function deployment(overrides: Partial<SoftwareDeploymentRecord> = {}): SoftwareDeploymentRecord {
  return {
    id: 'd1',
    projectId: 'p',
    configId: 'c1',
    serverId: 's1',
    inputValues: null,
    outputValues: null,
    action: 'CREATE',
    status: 'IN_PROGRESS',
    statusReason: 'Deploy data available',
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: null,
    stackUserProjectId: null,
    ...overrides,
  };
}

describe('deployment signals (Heat signal_software_deployment)', () => {
  it('completes with the declared outputs and the three standard ones', () => {
    const outcome = signalOutcome(deployment(), config, {
      result: 42,
      undeclared: 'dropped',
      deploy_stdout: 'ok',
      deploy_status_code: 0,
    });
    expect(outcome).toEqual({
      patch: {
        outputValues: { result: 42, deploy_stdout: 'ok', deploy_stderr: null, deploy_status_code: 0 },
        status: 'COMPLETE',
        statusReason: 'Outputs received',
      },
      eventReason: 'deployment d1 succeeded',
    });
  });

  it('fails on a non-zero status code, and on a present error output, naming each', () => {
    expect(signalOutcome(deployment(), config, { deploy_status_code: '2' })).toMatchObject({
      patch: {
        status: 'FAILED',
        statusReason: 'deploy_status_code : Deployment exited with non-zero status code: 2',
      },
      eventReason: 'deployment d1 failed (2)',
    });
    expect(signalOutcome(deployment(), config, { deploy_status_code: 1, oops: 'disk full' })).toMatchObject({
      patch: {
        status: 'FAILED',
        statusReason: 'deploy_status_code : Deployment exited with non-zero status code: 1, oops : disk full',
        outputValues: { oops: 'disk full', deploy_status_code: 1 },
      },
      eventReason: 'deployment d1 failed',
    });
  });

  it('treats "0" and a missing code as success, and keeps earlier outputs', () => {
    const outcome = signalOutcome(deployment({ outputValues: { result: 'old', kept: true } }), config, {
      deploy_status_code: '0',
    });
    expect(outcome?.patch).toEqual({
      outputValues: {
        result: 'old',
        kept: true,
        deploy_stdout: null,
        deploy_stderr: null,
        deploy_status_code: '0',
      },
      status: 'COMPLETE',
      statusReason: 'Outputs received',
    });
  });

  it('ignores signals for deployments that are not IN_PROGRESS', () => {
    expect(
      signalOutcome(deployment({ status: 'COMPLETE' }), config, { deploy_status_code: 1 }),
    ).toBeUndefined();
    expect(signalOutcome(deployment({ status: null }), config, {})).toBeUndefined();
  });
});
