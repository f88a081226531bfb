/** Errors of image verification and import: which check failed, on what, expected versus actual. */

/** The checks an image archive goes through, in order. */
export type ImageCheck =
  | 'sha256-argument'
  | 'tarball-sha256'
  | 'archive-format'
  | 'manifest'
  | 'config-digest'
  | 'layer-count'
  | 'layer-diff-id'
  | 'loaded-image';

/** An image archive that failed one of the provenance checks; nothing was loaded. */
export class ImageVerificationError extends Error {
  constructor(
    readonly check: ImageCheck,
    readonly file: string,
    readonly detail: string,
    readonly expected?: string,
    readonly actual?: string,
  ) {
    super(
      `image ${file}: ${check} check failed: ${detail}` +
        (expected !== undefined ? ` (expected ${expected}, got ${actual ?? 'nothing'})` : ''),
    );
    this.name = 'ImageVerificationError';
  }
}
