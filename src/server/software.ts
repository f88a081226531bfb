/**
 * The software configuration part of the composition root: the software service, the deployer the resource types
 * use (deployed servers, host credentials, signed signal URLs), and the late wiring to the engine (refreshing a
 * server's `deployments` metadata goes through the engine's resource signal).
 */
import type { Kysely } from 'kysely';
import type { EngineService } from '../engine/service.js';
import { SoftwareDeployer } from '../engine/software/deployer.js';
import { SoftwareService, type SoftwareLimits } from '../engine/software/service.js';
import { DeploymentSignalUrls } from '../engine/software/signal-urls.js';
import { HostCredentials } from '../identity/host-credentials.js';
import { REFRESH_SIGNAL } from '../resources/software/index.js';
import type { Database } from '../store/schema.js';
import { SqlDeployedServerStore } from '../store/software-server-store.js';
import { SqlSoftwareStore } from '../store/software-store.js';

/** The software service and deployer of one server. */
export interface SoftwareRuntime {
  readonly service: SoftwareService;
  readonly deployer: SoftwareDeployer;
  /** Sets the public base URL once known (signal URLs, agent endpoints). */
  setPublicUrl(url: string): void;
  /** Connects the deployer to the engine (after the engine exists). */
  attach(engine: Pick<EngineService, 'signalResource' | 'appendResourceEvents'>): void;
}

/** Builds the software runtime over a database and the server secret. */
export function softwareRuntime(
  db: Kysely<Database>,
  secret: Buffer,
  options: { limits?: Partial<SoftwareLimits>; publicUrl?: string } = {},
): SoftwareRuntime {
  let base = options.publicUrl?.replace(/\/+$/, '') ?? '';
  const service = new SoftwareService(new SqlSoftwareStore(db), { limits: options.limits ?? {} });
  const deployer = new SoftwareDeployer({
    service,
    servers: new SqlDeployedServerStore(db),
    hostCredentials: new HostCredentials(secret),
    signalUrls: new DeploymentSignalUrls(secret, () => base),
    publicUrl: () => base,
  });
  return {
    service,
    deployer,
    setPublicUrl(url) {
      base = url.replace(/\/+$/, '');
    },
    attach(engine) {
      deployer.bindServerRefresh((s) =>
        engine.signalResource(s.projectId, s.stackId, s.resourceName, REFRESH_SIGNAL),
      );
      deployer.bindEvents((projectId, id, reasons) => engine.appendResourceEvents(projectId, id, reasons));
    },
  };
}
