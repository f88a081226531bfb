/**
 * URLs and links as Heat builds them (`heat/api/openstack/v1/util.py make_url/make_link`): absolute, from the
 * request's scheme and Host, `…/v1/{tenant}/stacks/{name}/{id}[/path]`.
 */
import type { FastifyRequest } from 'fastify';

/** Heat's `{href, rel}` link. */
export interface Link {
  href: string;
  rel: string;
}

/** `scheme://host` of the request (as the client addressed the server). */
export function origin(req: FastifyRequest): string {
  const host = req.headers.host ?? `${req.hostname}`;
  return `${req.protocol}://${host}`;
}

/** Quotes one URL path segment the way Heat's identifiers do. */
export function segment(s: string): string {
  return encodeURIComponent(s);
}

/** `…/v1/{tenant}` for this request. */
export function tenantUrl(req: FastifyRequest, tenant: string): string {
  return `${origin(req)}/v1/${segment(tenant)}`;
}

/** Canonical stack URL `…/v1/{tenant}/stacks/{name}/{id}` plus optional extra path segments. */
export function stackUrl(
  req: FastifyRequest,
  tenant: string,
  stack: { name: string; id: string },
  ...path: string[]
): string {
  const tail = path.map(segment).join('/');
  return `${tenantUrl(req, tenant)}/stacks/${segment(stack.name)}/${segment(stack.id)}${tail ? `/${tail}` : ''}`;
}

/** A `{href, rel}` link. */
export function link(href: string, rel = 'self'): Link {
  return { href, rel };
}

/** Heat's `isotime`: `2026-11-25T19:16:00Z` (seconds precision, UTC), or null. */
export function heatTime(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
