/**
 * Finding a template's version: which version key is present, and which {@link TemplateVersion} it names.
 * (Heat: `template_format.parse` checks a version key exists; `template.get_version`/`get_template_class` pick it.)
 */
import { HeatError } from '../errors.js';
import { getTemplateVersion, listTemplateVersions, type TemplateVersion } from '../versions.js';

/** The HOT version key. */
export const HOT_VERSION_KEY = 'heat_template_version';
/** Every key Heat recognises as a version key (the two CFN ones are refused by Hearth). */
export const VERSION_KEYS = [
  HOT_VERSION_KEY,
  'HeatTemplateFormatVersion',
  'AWSTemplateFormatVersion',
] as const;

/**
 * The version of a template document.
 * @throws HeatError `HTTPBadRequest` when no version key is present; `InvalidTemplateVersion` when the version is
 *   ambiguous, not a string, or unknown (listing the accepted versions, aliases included, as Heat does).
 */
export function resolveTemplateVersion(template: Readonly<Record<string, unknown>>): TemplateVersion {
  const present = VERSION_KEYS.filter((k) => k in template);
  if (present.length === 0) {
    throw new HeatError(
      'HTTPBadRequest',
      'Template not in valid format: Template format version not found.',
      {
        hint: `add "${HOT_VERSION_KEY}: 2021-04-16" as the first line`,
      },
    );
  }
  const withString = present.filter((k) => typeof template[k] === 'string');
  if (withString.length > 1) {
    throw invalidVersion(`Ambiguous versions (${withString.join(', ')})`, withString[0] as string);
  }
  const key = withString[0];
  if (key === undefined) {
    const hint = `write the version as a string, e.g. ${HOT_VERSION_KEY}: '2021-04-16'`;
    throw invalidVersion('Template version was not provided', present[0] as string, hint);
  }
  const value = template[key] as string;
  const accepted = acceptedVersionNames();
  if (key !== HOT_VERSION_KEY) {
    throw invalidVersion(
      `"${key}: ${value}". "${key}" is not supported by Hearth; use "${HOT_VERSION_KEY}" (one of: ${accepted.join(', ')})`,
      key,
    );
  }
  const version = getTemplateVersion(value);
  if (!version) {
    const list =
      accepted.length > 1 ? `should be one of: ${accepted.join(', ')}` : `should be: ${accepted.join('')}`;
    throw invalidVersion(
      `"${key}: ${value}". "${key}" ${list}`,
      key,
      `the newest version is 2021-04-16 (wallaby)`,
    );
  }
  return version;
}

/** Every accepted `heat_template_version` value (dated keys and aliases), sorted as Heat lists them. */
export function acceptedVersionNames(): string[] {
  const names = new Set<string>();
  for (const v of listTemplateVersions()) {
    names.add(v.key);
    for (const alias of v.aliases) names.add(alias);
  }
  return [...names].sort();
}

function invalidVersion(explanation: string, key: string, hint?: string): HeatError {
  return new HeatError('InvalidTemplateVersion', `The template version is invalid: ${explanation}`, {
    path: [key],
    hint,
  });
}
