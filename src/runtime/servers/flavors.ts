/**
 * Flavors of container servers: Nova's default flavor names mapped onto Docker's CPU and memory limits.
 */
import { availableParallelism } from 'node:os';

/** The limits of one flavor. */
export interface Flavor {
  readonly vcpus: number;
  readonly memoryMb: number;
}

/** Nova's default flavors (vCPUs and RAM as `openstack flavor list` shows them). */
export const FLAVORS: Readonly<Record<string, Flavor>> = {
  'm1.tiny': { vcpus: 1, memoryMb: 512 },
  'm1.small': { vcpus: 1, memoryMb: 2048 },
  'm1.medium': { vcpus: 2, memoryMb: 4096 },
  'm1.large': { vcpus: 4, memoryMb: 8192 },
};

/** A flavor name that is not in {@link FLAVORS}. */
export class UnknownFlavorError extends Error {
  constructor(readonly flavor: string) {
    super(`flavor "${flavor}" is not known; known flavors: ${Object.keys(FLAVORS).join(', ')}`);
    this.name = 'UnknownFlavorError';
  }
}

/** The flavor named `name`. @throws UnknownFlavorError */
export function flavorNamed(name: string): Flavor {
  const flavor = Object.hasOwn(FLAVORS, name) ? FLAVORS[name] : undefined;
  if (!flavor) throw new UnknownFlavorError(name);
  return flavor;
}

/** Docker's `HostConfig` limits of a flavor; CPUs are capped at the host's (Docker refuses more). */
export function flavorLimits(flavor: Flavor): { NanoCpus: number; Memory: number } {
  const cpus = Math.min(flavor.vcpus, availableParallelism());
  return { NanoCpus: cpus * 1e9, Memory: flavor.memoryMb * 1024 * 1024 };
}
