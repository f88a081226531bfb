/**
 * Turning CLI options into API request bodies: parameters (`k=v`, `k=path` for files), tags, and the gathered
 * template/environment files.
 */
import { readFile } from 'node:fs/promises';
import { gatherFiles } from './files.js';
import { CliError } from './io.js';

/** Collects a repeatable option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `k=v` pairs → map. @throws CliError for items without `=`. */
export function parseKeyValues(items: string[], option: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const i = item.indexOf('=');
    if (i <= 0) throw new CliError(`${option} expects KEY=VALUE, got "${item}"`, 2);
    out[item.slice(0, i)] = item.slice(i + 1);
  }
  return out;
}

/** Parameters from `--parameter k=v` and `--parameter-file k=path` (the file's content is the value). */
export async function readParameters(
  params: string[],
  paramFiles: string[],
): Promise<Record<string, string>> {
  const out = parseKeyValues(params, '--parameter');
  for (const [k, path] of Object.entries(parseKeyValues(paramFiles, '--parameter-file'))) {
    try {
      out[k] = await readFile(path, 'utf8');
    } catch (err) {
      throw new CliError(`--parameter-file ${k}: cannot read ${path}: ${(err as Error).message}`);
    }
  }
  return out;
}

/** The template-related part of a request body, from `-t` and `-e`. */
export async function templateBody(
  templatePath: string,
  envPaths: string[],
): Promise<{ template: string; files: Record<string, string>; environment_files?: string[] }> {
  let gathered;
  try {
    gathered = await gatherFiles(templatePath, envPaths);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  return {
    template: gathered.template,
    files: gathered.files,
    ...(gathered.environmentFiles.length ? { environment_files: gathered.environmentFiles } : {}),
  };
}
