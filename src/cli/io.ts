/**
 * Where the CLI writes, and how it reports errors: the Heat message, then each problem as
 * `file:line:col: message` (or `path: message`), plus hints.
 */
import { ApiError, type ApiProblem } from './client.js';

/** The size of a terminal, in characters. */
export interface TerminalSize {
  columns: number;
  rows: number;
}

/** The CLI's outside world (replaceable in tests). */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** The terminal behind `out` or `err` when that stream is one (live progress views); undefined otherwise. */
  terminal?: (stream: 'out' | 'err') => TerminalSize | undefined;
}

/** The real process streams. */
export const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  terminal: (stream) => {
    const s = stream === 'out' ? process.stdout : process.stderr;
    return s.isTTY ? { columns: s.columns || 80, rows: s.rows || 24 } : undefined;
  },
};

/** An error that ends the command with a message and exit status. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** One problem line. */
export function problemLine(p: ApiProblem): string {
  const where = p.file ? `${p.file}:${p.line ?? 0}:${p.column ?? 0}` : p.path;
  const text = where ? `${where}: ${p.message}` : p.message;
  return p.hint ? `${text} (${p.hint})` : text;
}

/** The lines describing an error. */
export function errorLines(err: unknown): string[] {
  if (err instanceof ApiError) {
    const head = err.status
      ? `ERROR: ${err.message} (HTTP ${err.status} ${err.type})`
      : `ERROR: ${err.message}`;
    const located = err.problems.filter((p) => p.file || p.path || p.hint || err.problems.length > 1);
    return [head, ...located.map((p) => `  ${problemLine(p)}`)];
  }
  return [`ERROR: ${err instanceof Error ? err.message : String(err)}`];
}
