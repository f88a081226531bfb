/**
 * The image names a container server or container may use: a verified image by `name[:tag]`, `name@sha256:<id>` or
 * `sha256:<id>` (Hearth never pulls; see docs/runtime.md). The shape is checked at validation, presence and
 * verification when the container is made.
 */

const NAME = '[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*';
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';
const DIGEST = 'sha256:[0-9a-f]{64}';
const REFERENCE = new RegExp(
  `^(?:(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?${NAME}(?::${TAG})?|(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?${NAME}@${DIGEST}|${DIGEST})$`,
);

/** Why `reference` is not an image name Hearth accepts, or undefined when it is one. */
export function imageReferenceProblem(reference: string): string | undefined {
  if (REFERENCE.test(reference)) return undefined;
  return (
    `"${reference}" is not an image reference; expected a verified image as name[:tag], name@sha256:<64 hex> ` +
    'or sha256:<64 hex> (import images with hearth image import; Hearth never pulls)'
  );
}
