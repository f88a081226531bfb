/**
 * Hash routes (`#/stacks/NAME/ID/events`): the server serves one page, the browser keeps history and links.
 */
import { useEffect, useState } from 'preact/hooks';

/** The pages. */
export type Route =
  | { page: 'stacks' }
  | { page: 'launch' }
  | { page: 'stack'; name: string; id: string; tab: string }
  | { page: 'update'; name: string; id: string };

/** The route of a location hash (unknown hashes show the stack list). */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'launch') return { page: 'launch' };
  if (parts[0] === 'stacks' && parts[1] && parts[2]) {
    if (parts[3] === 'update') return { page: 'update', name: parts[1], id: parts[2] };
    return { page: 'stack', name: parts[1], id: parts[2], tab: parts[3] ?? 'topology' };
  }
  return { page: 'stacks' };
}

/** The hash of a route. */
export function href(route: Route): string {
  switch (route.page) {
    case 'stacks':
      return '#/';
    case 'launch':
      return '#/launch';
    case 'stack':
      return `#/stacks/${encodeURIComponent(route.name)}/${encodeURIComponent(route.id)}${route.tab === 'topology' ? '' : `/${route.tab}`}`;
    case 'update':
      return `#/stacks/${encodeURIComponent(route.name)}/${encodeURIComponent(route.id)}/update`;
  }
}

/** Goes to a route. */
export function navigate(route: Route): void {
  location.hash = href(route);
}

/** The current route, following hash changes. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
