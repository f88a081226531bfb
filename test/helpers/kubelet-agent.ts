/**
 * Test harness for the kubelet tests: runs `hearth agent` (the real binary) with its kubelet hook on the host's
 * dockerd, published host ports on 127.0.0.1 and a verified image registry.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { BIN } from './hearth.js';

/** Starts `hearth agent --config FILE` with its state in `<work>/state`; `extraArgs` come last. */
export function spawnKubeletAgent(options: {
  configFile: string;
  work: string;
  infraImage: string;
  registry: string;
  extraArgs?: string[];
}): ChildProcess {
  return spawn(
    process.execPath,
    [
      BIN,
      'agent',
      '--config',
      options.configFile,
      '--state-dir',
      join(options.work, 'state'),
      '--kubelet-infra-image',
      options.infraImage,
      '--kubelet-host-ip',
      '127.0.0.1',
      '--image-registry',
      options.registry,
      ...(options.extraArgs ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
}
