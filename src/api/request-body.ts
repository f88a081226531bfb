/**
 * Shape checks of the stack create / update / preview / validate bodies (Heat's `InstantiationData` and
 * `prepare_args`), producing the engine's request objects. Heat's own checks come first and carry Heat's
 * exact messages; Hearth's extra shape checks (parameters must be a map, files must be strings…) follow and
 * are all reported together, each with the body path it is about.
 */
import { parse as parseYaml } from 'yaml';
import type { StackCreateRequest, StackUpdateRequest, ValidateRequest } from '../engine/service.js';
import { HeatError, throwIfProblems } from '../template/errors.js';
import { parseSource } from '../template/source.js';
import { badRequest } from './faults.js';
import { extractBool, extractInt, extractTags } from './params.js';

/** Heat's stack name rule. */
export const STACK_NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9_.-]{0,254}$/;

/** Heat's message for a bad stack name. */
export function invalidStackNameMessage(name: string): string {
  return (
    `Invalid stack name ${name} must contain only alphanumeric or "_-." characters, must start with alpha ` +
    'and must be 255 characters or less.'
  );
}

/** The body as a map; a missing body is an empty map. @throws HeatError HTTPBadRequest for non-objects. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

/** A problem about one key of the body. */
function shapeError(key: string, message: string): HeatError {
  return new HeatError('HTTPBadRequest', message, { path: [key] });
}

/**
 * Heat's API parses template and environment text before anything else and answers syntax errors as
 * `<Kind> not in valid format: <parser message>`; the engine parses again (keeping positions).
 */
export function syntaxProblem(text: string, kind: 'Template' | 'Environment'): HeatError | undefined {
  try {
    parseSource(text, { kind, file: kind === 'Template' ? 'template.yaml' : 'environment.yaml' });
    return undefined;
  } catch (err) {
    if (!(err instanceof HeatError) || err.type !== 'HTTPBadRequest')
      return err instanceof HeatError ? err : undefined;
    const prefix = `${kind} not in valid format`;
    if (err.message.startsWith(prefix)) return err;
    return new HeatError('HTTPBadRequest', `${prefix}: ${err.message}`, {
      ...(err.position ? { position: err.position } : {}),
      path: [kind.toLowerCase()],
    });
  }
}

/** Fields shared by create, update, preview and validate. */
interface CommonInputs {
  template?: unknown;
  environment?: unknown;
  files?: Record<string, string>;
  environmentFiles?: string[];
  parameters?: Record<string, unknown>;
}

/** Heat's `InstantiationData.template()`: object or text; `template_url` is not fetched by Hearth. */
function readTemplate(body: Record<string, unknown>, required: boolean, problems: HeatError[]): unknown {
  const t = body.template;
  if (t === undefined || t === null) {
    if (body.template_url !== undefined && body.template_url !== null) {
      problems.push(
        shapeError(
          'template_url',
          'Hearth does not fetch template_url; send the template text in "template".',
        ),
      );
    } else if (required) {
      problems.push(badRequest('No template specified'));
    }
    return undefined;
  }
  if (typeof t === 'string') {
    const problem = syntaxProblem(t, 'Template');
    if (problem) problems.push(problem);
    return t;
  }
  if (typeof t === 'object' && !Array.isArray(t)) return t;
  problems.push(
    new HeatError(
      'HTTPBadRequest',
      'Template not in valid format: The template is not a JSON object or YAML mapping.',
      {
        path: ['template'],
      },
    ),
  );
  return undefined;
}

/** environment, files, environment_files, parameters. */
function readCommon(body: Record<string, unknown>, problems: HeatError[]): Omit<CommonInputs, 'template'> {
  const out: Omit<CommonInputs, 'template'> = {};
  const env = body.environment;
  if (env !== undefined && env !== null) {
    if (typeof env === 'string') {
      const problem = syntaxProblem(env, 'Environment');
      if (problem) problems.push(problem);
      out.environment = env;
    } else if (typeof env === 'object' && !Array.isArray(env)) out.environment = env;
    else
      problems.push(
        shapeError(
          'environment',
          'Environment not in valid format: The environment is not a valid YAML mapping data type.',
        ),
      );
  }
  const files = body.files;
  if (files !== undefined && files !== null) {
    if (typeof files !== 'object' || Array.isArray(files)) {
      problems.push(shapeError('files', '"files" must be a map of file names to file contents.'));
    } else {
      const map: Record<string, string> = {};
      for (const [k, v] of Object.entries(files)) {
        if (typeof v === 'string') map[k] = v;
        else
          problems.push(
            new HeatError('HTTPBadRequest', `The content of file "${k}" in "files" must be a string.`, {
              path: ['files', k],
            }),
          );
      }
      out.files = map;
    }
  }
  const envFiles = body.environment_files;
  if (envFiles !== undefined && envFiles !== null) {
    if (Array.isArray(envFiles) && envFiles.every((f) => typeof f === 'string'))
      out.environmentFiles = envFiles;
    else problems.push(shapeError('environment_files', '"environment_files" must be a list of file names.'));
  }
  const params = body.parameters;
  if (params !== undefined && params !== null) {
    if (typeof params === 'object' && !Array.isArray(params))
      out.parameters = params as Record<string, unknown>;
    else problems.push(shapeError('parameters', '"parameters" must be a map of parameter names to values.'));
  }
  if (body.files_container !== undefined && body.files_container !== null) {
    problems.push(shapeError('files_container', 'Hearth has no Swift: "files_container" is not supported.'));
  }
  return out;
}

/** timeout_mins, tags, disable_rollback shared by create and update. */
function readOptions(
  body: Record<string, unknown>,
  problems: HeatError[],
): { timeoutMins?: number | null; tags?: string[]; disableRollback?: boolean } {
  const out: { timeoutMins?: number | null; tags?: string[]; disableRollback?: boolean } = {};
  collect(problems, () => {
    if ('timeout_mins' in body) {
      const t = extractInt('timeout_mins', body.timeout_mins);
      out.timeoutMins = t === undefined || t === 0 ? null : t;
    }
  });
  collect(problems, () => {
    if (body.tags !== undefined && body.tags !== null) out.tags = extractTags('tags', body.tags);
  });
  collect(problems, () => {
    if (body.disable_rollback !== undefined && body.disable_rollback !== null) {
      out.disableRollback = extractBool('disable_rollback', body.disable_rollback);
    }
  });
  return out;
}

/** Runs a check, collecting its HeatError instead of throwing. */
function collect(problems: HeatError[], check: () => void): void {
  try {
    check();
  } catch (err) {
    if (err instanceof HeatError) problems.push(err);
    else throw err;
  }
}

/**
 * Heat's adopt data (`adopt_stack_data`): JSON or YAML text (what `openstack stack adopt` sends), or an object;
 * it must be a map with a `template`.
 * @throws HeatError HTTPBadRequest `Invalid adopt data: …` (Heat's wording, `'template'` when it is missing).
 */
export function parseAdoptData(raw: unknown): Record<string, unknown> {
  let data: unknown = raw;
  if (typeof raw === 'string') {
    try {
      data = JSON.parse(raw);
    } catch {
      try {
        data = parseYaml(raw) ?? {};
      } catch (err) {
        throw badRequest(`Invalid adopt data: ${(err as Error).message}`);
      }
    }
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw badRequest('Invalid adopt data: The template is not a JSON object or YAML mapping.');
  }
  const map = data as Record<string, unknown>;
  if (!('template' in map)) throw badRequest("Invalid adopt data: 'template'");
  return map;
}

/**
 * Checks a create (or create-preview) body. With `adopt_stack_data`, the template is the adopt data's (as in
 * Heat, the body's `template` is then ignored).
 * @throws HeatError Heat's first error (`No stack name specified`, `No template specified`, converge on create,
 * bad stack name, …); several problems come as a ValidationFailure.
 */
export function parseCreateBody(raw: unknown): StackCreateRequest {
  const body = bodyObject(raw);
  const problems: HeatError[] = [];
  const options = readOptions(body, problems);
  if ('converge' in body) {
    problems.push(badRequest('converge flag only supported in stack update (or update preview) request.'));
  }
  const name = body.stack_name;
  if (name === undefined || name === null || name === '')
    problems.push(badRequest('No stack name specified'));
  let adoptStackData: Record<string, unknown> | undefined;
  let template: unknown;
  if (body.adopt_stack_data !== undefined && body.adopt_stack_data !== null) {
    try {
      adoptStackData = parseAdoptData(body.adopt_stack_data);
      template = adoptStackData.template;
    } catch (err) {
      if (!(err instanceof HeatError)) throw err;
      problems.push(err);
    }
  } else {
    template = readTemplate(body, true, problems);
  }
  const common = readCommon(body, problems);
  if (typeof name === 'string' && name !== '' && !STACK_NAME_PATTERN.test(name)) {
    problems.push(new HeatError('StackValidationFailed', invalidStackNameMessage(name)));
  } else if (name !== undefined && name !== null && typeof name !== 'string') {
    problems.push(new HeatError('StackValidationFailed', invalidStackNameMessage(String(name))));
  }
  throwIfProblems(problems);
  return {
    stackName: name as string,
    template,
    ...common,
    ...options,
    ...(adoptStackData !== undefined ? { adoptStackData } : {}),
  };
}

/**
 * Checks an update body: PUT (`patch` false) needs a template; PATCH reuses the stored one (`existing`).
 * @throws HeatError as {@link parseCreateBody}.
 */
export function parseUpdateBody(raw: unknown, patch: boolean): StackUpdateRequest {
  const body = bodyObject(raw);
  const problems: HeatError[] = [];
  const options = readOptions(body, problems);
  const req: StackUpdateRequest = { ...options };
  collect(problems, () => {
    if (body.converge !== undefined && body.converge !== null)
      req.converge = extractBool('converge', body.converge);
  });
  const template = readTemplate(body, !patch, problems);
  if (template !== undefined) req.template = template;
  Object.assign(req, readCommon(body, problems));
  const clear = body.clear_parameters;
  if (clear !== undefined && clear !== null) {
    if (Array.isArray(clear) && clear.every((c) => typeof c === 'string')) req.clearParameters = clear;
    else
      problems.push(shapeError('clear_parameters', '"clear_parameters" must be a list of parameter names.'));
  }
  if (patch) req.existing = true;
  throwIfProblems(problems);
  return req;
}

/**
 * Checks a validate body (template required) with the `show_nested` / `ignore_errors` query values.
 * @throws HeatError `No template specified` etc.
 */
export function parseValidateBody(
  raw: unknown,
  query: { showNested?: boolean; ignoreErrors?: string[] },
): ValidateRequest {
  const body = bodyObject(raw);
  const problems: HeatError[] = [];
  const template = readTemplate(body, true, problems);
  const common = readCommon(body, problems);
  throwIfProblems(problems);
  const req: ValidateRequest = { template, ...common };
  if (query.showNested !== undefined) req.showNested = query.showNested;
  if (query.ignoreErrors !== undefined) req.ignoreErrors = query.ignoreErrors;
  return req;
}
