/**
 * Breakpoint hooks and restricted actions set per resource in `resource_registry.resources`:
 *
 * ```yaml
 * resource_registry:
 *   resources:
 *     my_server: {hooks: [pre-create, post-update], restricted_actions: replace}
 *     "*_db": {hooks: pre-delete}
 * ```
 *
 * Values are validated when the registry is loaded (Heat raises `InvalidBreakPointHook` /
 * `InvalidRestrictedAction` while building the environment, so the create request itself fails).
 */
import type { ProblemLocation } from './errors.js';
import { invalidBreakPointHook, invalidRestrictedAction } from './errors.js';
import { pyStr, pyTupleRepr } from './python.js';

/** Every hook (breakpoint) type, in Heat's order. */
export const HOOK_TYPES = [
  'pre-create',
  'pre-update',
  'pre-delete',
  'post-create',
  'post-update',
  'post-delete',
] as const;

/** A hook (breakpoint) type. */
export type HookType = (typeof HOOK_TYPES)[number];

/** Every restricted action, in Heat's order. */
export const RESTRICTED_ACTIONS = ['update', 'replace'] as const;

/** An action that `restricted_actions` can forbid. */
export type RestrictedAction = (typeof RESTRICTED_ACTIONS)[number];

/** The registry key holding hooks. */
export const HOOKS_KEY = 'hooks';
/** The registry key holding restricted actions. */
export const RESTRICTED_ACTIONS_KEY = 'restricted_actions';

/** True when `value` is a known hook type. */
export function isHookType(value: unknown): value is HookType {
  return typeof value === 'string' && (HOOK_TYPES as readonly string[]).includes(value);
}

/** True when `value` is a known restricted action. */
export function isRestrictedAction(value: unknown): value is RestrictedAction {
  return typeof value === 'string' && (RESTRICTED_ACTIONS as readonly string[]).includes(value);
}

/** A string or a list whose every element passes `valid` (Heat accepts any Python sequence; `[]` is valid). */
function isValidSpec(value: unknown, valid: (v: unknown) => boolean): boolean {
  if (typeof value === 'string') return valid(value);
  if (Array.isArray(value)) return value.every(valid);
  return false;
}

/**
 * Heat's `is_hook_definition`: true when `key` is `hooks` and `value` is valid.
 * @throws HeatError `InvalidBreakPointHook` when `key` is `hooks` and `value` is not a hook type or list of them.
 */
export function isHookDefinition(key: string, value: unknown, at: ProblemLocation = {}): boolean {
  if (key !== HOOKS_KEY) return false;
  if (!isValidSpec(value, isHookType)) {
    throw invalidBreakPointHook(
      `Invalid hook type "${pyStr(value)}" for resource breakpoint, acceptable hook types are: ${pyTupleRepr(HOOK_TYPES)}`,
      at,
    );
  }
  return true;
}

/**
 * Heat's `is_valid_restricted_action`: true when `key` is `restricted_actions` and `value` is valid.
 * @throws HeatError `InvalidRestrictedAction` when `key` is `restricted_actions` and `value` is not valid.
 */
export function isRestrictedActionDefinition(key: string, value: unknown, at: ProblemLocation = {}): boolean {
  if (key !== RESTRICTED_ACTIONS_KEY) return false;
  if (!isValidSpec(value, isRestrictedAction)) {
    throw invalidRestrictedAction(
      `Invalid restricted_action type "${pyStr(value)}" for resource, acceptable restricted_action types are: ${pyTupleRepr(RESTRICTED_ACTIONS)}`,
      at,
    );
  }
  return true;
}

/** The entries of an already validated hook / restricted-action value (a string or a list). */
export function specEntries<T extends string>(value: unknown): T[] {
  if (typeof value === 'string') return [value as T];
  if (Array.isArray(value)) return value.filter((v): v is T => typeof v === 'string');
  return [];
}
