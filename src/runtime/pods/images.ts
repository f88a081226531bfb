/**
 * Which Docker image a container `image` field means. Hearth never pulls: an image is either present and (with a
 * registry) verified, or the container waits with a reason — `ImageMissing` or `ImageUnverified`.
 */
import type Docker from 'dockerode';
import { parseSha256 } from '../images/digest.js';
import { UnverifiedImageError, withTag, type ImageRegistry } from '../images/registry.js';

/** The image to create a container from, or why there is none. */
export type ImageResolution =
  { ok: true; image: string } | { ok: false; reason: 'ImageMissing' | 'ImageUnverified'; message: string };

/** Resolves `image` fields to images present on the engine. */
export type ImageResolver = (reference: string) => Promise<ImageResolution>;

/**
 * Trusts what the engine holds: `name[:tag]` must be present; `[name]@sha256:<id>` must be present with that image
 * id (and, with a name, carry a tag of that repository).
 */
export function localImages(docker: Docker): ImageResolver {
  return async (reference) => {
    const at = reference.indexOf('@');
    const pinned = at !== -1 || reference.startsWith('sha256:');
    const lookup = pinned
      ? `sha256:${parseSha256(at === -1 ? reference : reference.slice(at + 1)) ?? 'invalid'}`
      : withTag(reference);
    const found = await docker
      .getImage(lookup)
      .inspect()
      .catch(() => undefined);
    if (!found) return missing(reference);
    if (at > 0) {
      const name = reference.slice(0, at);
      if (!(found.RepoTags ?? []).some((t) => t.slice(0, t.lastIndexOf(':')) === name)) {
        return {
          ok: false,
          reason: 'ImageUnverified',
          message: `image ${reference}: the image with that id is not tagged ${name}`,
        };
      }
    }
    return { ok: true, image: found.Id };
  };
}

/** Trusts only images `hearth image import` verified (the registry), and only while the engine still holds them. */
export function verifiedImages(docker: Docker, registry: ImageRegistry): ImageResolver {
  const local = localImages(docker);
  return async (reference) => {
    try {
      const record = await registry.resolve(reference);
      const present = await local(record.id);
      return present.ok ? present : missing(reference);
    } catch (err) {
      if (err instanceof UnverifiedImageError)
        return { ok: false, reason: 'ImageUnverified', message: err.message };
      throw err;
    }
  };
}

function missing(reference: string): ImageResolution {
  return {
    ok: false,
    reason: 'ImageMissing',
    message: `image ${reference} is not present on this host; Hearth never pulls: import it with hearth image import`,
  };
}
