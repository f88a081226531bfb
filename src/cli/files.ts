/**
 * What heatclient does before sending a template: read the template and environment files, and collect every
 * file they reference into the `files` map — each `get_file` path, each resource `type` that names a template
 * file (`.yaml`/`.template`/`.yml`), and each resource-registry value naming one — resolved relative to the file
 * that references it, recursively, and stored under the key written in the referencing document.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseSource } from '../template/source.js';

/** What to upload with a create/update/validate request. */
export interface GatheredFiles {
  /** The template text. */
  template: string;
  /** The `files` map. */
  files: Record<string, string>;
  /** Environment file keys in order (their contents are in `files`). */
  environmentFiles: string[];
}

/** Names of files that are templates (followed recursively). */
const TEMPLATE_FILE = /\.(ya?ml|template)$/;
/** References that are not local files. */
const REMOTE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** A reference found in a document: the key as written, and whether it is a template to follow. */
interface Reference {
  key: string;
  template: boolean;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `get_file` paths anywhere in a value. */
function getFileReferences(value: unknown, out: Reference[]): void {
  if (Array.isArray(value)) {
    for (const v of value) getFileReferences(v, out);
  } else if (isMap(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'get_file' && typeof v === 'string') out.push({ key: v, template: false });
      else getFileReferences(v, out);
    }
  }
}

/** References of a template: get_file anywhere, and resource types naming template files. */
export function templateReferences(template: unknown): Reference[] {
  const out: Reference[] = [];
  getFileReferences(template, out);
  if (isMap(template)) {
    const resources = template.resources ?? template.Resources;
    if (isMap(resources)) {
      for (const r of Object.values(resources)) {
        if (!isMap(r)) continue;
        const type = r.type ?? r.Type;
        if (typeof type === 'string' && TEMPLATE_FILE.test(type)) out.push({ key: type, template: true });
        // ResourceGroup / AutoScalingGroup members.
        const def = isMap(r.properties) ? (r.properties.resource_def ?? r.properties.resource) : undefined;
        if (isMap(def) && typeof def.type === 'string' && TEMPLATE_FILE.test(def.type)) {
          out.push({ key: def.type, template: true });
        }
      }
    }
  }
  return out;
}

/** References of an environment: registry values (global and per-resource) naming template files. */
export function environmentReferences(env: unknown): Reference[] {
  const out: Reference[] = [];
  if (!isMap(env)) return out;
  const walk = (registry: unknown) => {
    if (!isMap(registry)) return;
    for (const [k, v] of Object.entries(registry)) {
      if (typeof v === 'string' && TEMPLATE_FILE.test(v)) out.push({ key: v, template: true });
      else if (k === 'resources' || isMap(v)) walk(v);
    }
  };
  walk(env.resource_registry);
  return out;
}

/** Parses a document for walking; unparsable documents are sent as they are (the server reports the error). */
function tryParse(text: string, file: string, kind: 'Template' | 'Environment'): unknown {
  try {
    return parseSource(text, { file, kind, maxSize: Number.MAX_SAFE_INTEGER }).value;
  } catch {
    return undefined;
  }
}

/** Reads a local file. */
async function readText(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

/**
 * Reads the template at `templatePath` and the environment files, and gathers every referenced file.
 * @throws Error when a referenced file cannot be read (naming the file and who references it).
 */
export async function gatherFiles(
  templatePath: string,
  environmentPaths: string[] = [],
): Promise<GatheredFiles> {
  const files: Record<string, string> = {};
  const visited = new Set<string>();

  const follow = async (refs: Reference[], fromFile: string) => {
    for (const ref of refs) {
      if (REMOTE.test(ref.key) || ref.key in files) continue;
      const abs = resolve(dirname(fromFile), ref.key);
      let text: string;
      try {
        text = await readText(abs);
      } catch (err) {
        throw new Error(`${fromFile}: cannot read "${ref.key}" (${abs}): ${(err as Error).message}`);
      }
      files[ref.key] = text;
      if (ref.template && !visited.has(abs)) {
        visited.add(abs);
        await follow(templateReferences(tryParse(text, ref.key, 'Template')), abs);
      }
    }
  };

  const template = await readText(templatePath);
  visited.add(resolve(templatePath));
  await follow(templateReferences(tryParse(template, templatePath, 'Template')), resolve(templatePath));

  const environmentFiles: string[] = [];
  for (const envPath of environmentPaths) {
    const text = await readText(envPath);
    files[envPath] = text;
    environmentFiles.push(envPath);
    await follow(environmentReferences(tryParse(text, envPath, 'Environment')), resolve(envPath));
  }
  return { template, files, environmentFiles };
}
