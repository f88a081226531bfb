/**
 * `hearth software config …` and `hearth software deployment …`: the verbs of python-heatclient's
 * `openstack software config|deployment …` over the software config API.
 */
import { Command } from 'commander';
import type { CliIo } from '../io.js';
import { addConfigCommands } from './software-config.js';
import { addDeploymentCommands } from './software-deployment.js';

/** The `software` command group. */
export function softwareCommand(io: CliIo): Command {
  const software = new Command('software').description('Software configs and their deployments to servers');
  addConfigCommands(software, io);
  addDeploymentCommands(software, io);
  return software;
}
