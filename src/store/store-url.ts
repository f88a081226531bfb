/**
 * Store URLs: which dialect a URL names, and how to show one without its password.
 */
import type { SqlDialectName } from './dialect.js';

const SCHEMES: Readonly<Record<string, SqlDialectName>> = {
  sqlite: 'sqlite',
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
};

/**
 * The dialect of a store URL: its scheme, or `sqlite` for a bare file path (a one-letter "scheme" is a Windows
 * drive). Throws a precise error for an empty URL or an unknown scheme.
 */
export function storeDialectOfUrl(url: string): SqlDialectName {
  if (url.trim() === '') {
    throw new Error('store URL is empty (use sqlite:PATH, a file path, postgres://… or mysql://…)');
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme.length === 1) return 'sqlite';
  const dialect = SCHEMES[scheme];
  if (dialect === undefined) {
    throw new Error(
      `unsupported store URL scheme '${scheme}:' (use sqlite:PATH, a file path, postgres://… or mysql://…)`,
    );
  }
  return dialect;
}

/** The URL with its password replaced by `***`, for messages and logs. */
export function redactStoreUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
