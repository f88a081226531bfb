/**
 * The software configuration resource types, built over one {@link SoftwareDeployer} (they need the software
 * service, so they are registered by the server's composition root, not by `builtinPlugins()`).
 */
import type { ResourcePlugin } from '../../engine/plugin.js';
import type { SoftwareDeployer } from '../../engine/software/deployer.js';
import { deployedServerResource } from './deployed-server.js';
import { deploymentGroupResources } from './deployment-group.js';
import { multipartMimeResource } from './multipart-mime.js';
import {
  cloudConfigResource,
  softwareComponentResource,
  softwareConfigResource,
  structuredConfigResource,
} from './software-config.js';
import { softwareDeploymentResource, structuredDeploymentResource } from './software-deployment.js';

export { REFRESH_SIGNAL, osCollectConfig } from './deployed-server.js';

/** Every software configuration type. */
export function softwarePlugins(deployer: SoftwareDeployer): ResourcePlugin[] {
  return [
    softwareConfigResource(deployer),
    structuredConfigResource(deployer),
    softwareComponentResource(deployer),
    multipartMimeResource(deployer),
    cloudConfigResource(deployer),
    softwareDeploymentResource(deployer),
    structuredDeploymentResource(deployer),
    ...deploymentGroupResources(deployer),
    deployedServerResource(deployer),
  ];
}
