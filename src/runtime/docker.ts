/**
 * The connection to the container engine: Docker Engine API (baseline v1.41, Debian's docker.io 20.10) over a unix
 * socket, through dockerode. Podman's Docker-compatible service works through the same client.
 */
import Docker from 'dockerode';

/** Where dockerd listens by default. */
export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/**
 * The socket to use: `socketPath` if given, else `DOCKER_HOST` when it is a `unix://` URL, else the default socket.
 */
export function dockerSocketPath(socketPath?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (socketPath) return socketPath;
  const host = env['DOCKER_HOST'];
  if (host?.startsWith('unix://')) return host.slice('unix://'.length);
  return DEFAULT_DOCKER_SOCKET;
}

/** A client for the engine at `socketPath` (see {@link dockerSocketPath}). */
export function connectDocker(socketPath?: string): Docker {
  return new Docker({ socketPath: dockerSocketPath(socketPath) });
}

/** Whether the engine answers `/_ping`. */
export async function dockerReachable(docker: Docker): Promise<boolean> {
  try {
    await docker.ping();
    return true;
  } catch {
    return false;
  }
}

/** The body of a Docker API error (`{"message": …}`), or the error's own message. */
export function dockerErrorMessage(err: unknown): string {
  const e = err as { json?: { message?: unknown }; error?: unknown; message?: unknown };
  if (typeof e?.json?.message === 'string') return e.json.message;
  if (typeof e?.error === 'string') return e.error;
  if (typeof e?.message === 'string') return e.message.replace(/^\(HTTP code \d+\) [^-]*- /, '');
  return String(err);
}

/** The HTTP status of a Docker API error, if it has one. */
export function dockerStatus(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown })?.statusCode;
  return typeof code === 'number' ? code : undefined;
}
