/**
 * Shape checks of `/v3` request bodies with Keystone-style 400s naming the bad field's path, what was received
 * and what is allowed. Secret fields (passwords, secrets, tokens) are described by type only, never echoed.
 */
import { invalidField } from '../../identity/errors.js';

/** A JSON object (not null, not an array). */
export type JsonObject = Record<string, unknown>;

/** What a value is, for messages; secrets show only their type. */
export function describeValue(value: unknown, secret = false): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return secret ? 'a list' : `the list ${truncate(JSON.stringify(value))}`;
  if (typeof value === 'object')
    return secret ? 'an object' : `the object ${truncate(JSON.stringify(value))}`;
  if (secret) return `a ${typeof value}`;
  return typeof value === 'string'
    ? `the string ${truncate(JSON.stringify(value))}`
    : `${typeof value} ${String(value)}`;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** `value` as an object. @throws IdentityError 400 */
export function objectAt(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidField(path, `expected an object, got ${describeValue(value)}.`);
  }
  return value as JsonObject;
}

/** An optional object member. @throws IdentityError 400 */
export function optionalObject(parent: JsonObject, key: string, path: string): JsonObject | undefined {
  return parent[key] === undefined ? undefined : objectAt(parent[key], `${path}.${key}`);
}

/** Options of {@link stringAt}. */
export interface StringRule {
  /** Shortest allowed length (default 1). */
  min?: number;
  /** Longest allowed length (default 255). */
  max?: number;
  /** Never echo the value. */
  secret?: boolean;
}

/** `value` as a string within the rule's length. @throws IdentityError 400 */
export function stringAt(value: unknown, path: string, rule: StringRule = {}): string {
  const { min = 1, max = 255, secret = false } = rule;
  if (typeof value !== 'string') {
    throw invalidField(path, `expected a string, got ${describeValue(value, secret)}.`);
  }
  if (value.length < min || value.length > max) {
    const shown = secret
      ? `${value.length} characters`
      : `${describeValue(value)} (${value.length} characters)`;
    throw invalidField(path, `expected ${min} to ${max} characters, got ${shown}.`);
  }
  return value;
}

/** An optional string member. @throws IdentityError 400 */
export function optionalString(
  parent: JsonObject,
  key: string,
  path: string,
  rule?: StringRule,
): string | undefined {
  return parent[key] === undefined ? undefined : stringAt(parent[key], `${path}.${key}`, rule);
}

/** An optional boolean member. @throws IdentityError 400 */
export function optionalBoolean(parent: JsonObject, key: string, path: string): boolean | undefined {
  const value = parent[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean')
    throw invalidField(`${path}.${key}`, `expected true or false, got ${describeValue(value)}.`);
  return value;
}

/** A name: 1 to 255 characters, no leading or trailing blanks. @throws IdentityError 400 */
export function nameAt(value: unknown, path: string): string {
  const name = stringAt(value, path);
  if (name.trim() !== name) {
    throw invalidField(path, `${describeValue(value)} has leading or trailing blanks.`);
  }
  return name;
}
