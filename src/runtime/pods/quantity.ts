/** Kubernetes resource quantities: memory (`64Mi`, `1G`, `128974848`) and CPU (`500m`, `0.5`, `2`). */

const MEMORY_SUFFIX: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** Bytes of a memory quantity, or undefined if it is not one. */
export function parseMemory(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)(k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(value.trim());
  if (!m) return undefined;
  const bytes = Math.round(Number(m[1]) * (MEMORY_SUFFIX[m[2] ?? ''] ?? 1));
  return bytes > 0 ? bytes : undefined;
}

/** Nano-CPUs (Docker's NanoCpus) of a CPU quantity, or undefined if it is not one. */
export function parseCpu(value: unknown): number | undefined {
  if (typeof value === 'number') return value > 0 ? Math.round(value * 1e9) : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)(m)?$/.exec(value.trim());
  if (!m) return undefined;
  const cpus = Number(m[1]) / (m[2] ? 1000 : 1);
  return cpus > 0 ? Math.round(cpus * 1e9) : undefined;
}
