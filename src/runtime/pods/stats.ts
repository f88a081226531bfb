/** Per-container resource figures: CPU time, memory in use and its limit, restarts (the seed's "cAdvisor stats"). */
import type Docker from 'dockerode';

/** One container's figures. */
export interface ContainerStats {
  pod: string;
  container: string;
  /** CPU time used since start, in seconds (absent when no sample arrived in time). */
  cpuSeconds?: number;
  /** Memory in use (page cache excluded), bytes (absent when no sample arrived in time). */
  memoryBytes?: number;
  /** Memory limit, bytes (the host's memory when unlimited; absent when unlimited and no sample arrived). */
  memoryLimitBytes?: number;
  restartCount: number;
}

/** One sample's figures. */
export type StatsSample = Required<Pick<ContainerStats, 'cpuSeconds' | 'memoryBytes' | 'memoryLimitBytes'>>;

/**
 * Reads one sample of `containerId`'s stats (no streaming, one-shot). Docker's collector publishes once a second
 * while anyone listens, so a sample takes from a few ms (collector idle) up to a second: sample containers in
 * parallel, never one after another.
 */
export async function sampleStats(docker: Docker, containerId: string): Promise<StatsSample> {
  const s = await docker.getContainer(containerId).stats({ stream: false, 'one-shot': true });
  const memory = s.memory_stats ?? {};
  const cache = memory.stats?.total_inactive_file ?? memory.stats?.cache ?? 0;
  return {
    cpuSeconds: (s.cpu_stats?.cpu_usage?.total_usage ?? 0) / 1e9,
    memoryBytes: Math.max(0, (memory.usage ?? 0) - cache),
    memoryLimitBytes: memory.limit ?? 0,
  };
}
