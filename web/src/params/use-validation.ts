/**
 * `POST /validate` of what the form holds, again shortly after every change: the template's parameters (for the
 * form) or its problems (for the problem list). Answers to outdated requests are dropped.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../api/client.js';
import type { ValidateResult } from '../api/types.js';

/** Quiet time after a change before validating. */
const DEBOUNCE_MS = 500;

/** The latest validation. */
export interface Validation {
  result?: ValidateResult;
  error?: ApiError;
  validating: boolean;
  /** Validates now (the "Validate" button). */
  run(): void;
}

/** Validates `body` (nothing when undefined) whenever it changes. */
export function useValidation(client: ApiClient, body: Record<string, unknown> | undefined): Validation {
  const key = body === undefined ? '' : JSON.stringify(body);
  const [state, setState] = useState<Omit<Validation, 'run'>>({ validating: false });
  const seq = useRef(0);
  const run = () => {
    if (body === undefined) {
      setState({ validating: false });
      return;
    }
    const mine = ++seq.current;
    setState((s) => ({ ...s, validating: true }));
    client.post<ValidateResult>('/validate', body).then(
      (result) => mine === seq.current && setState({ result, validating: false }),
      (err: unknown) =>
        mine === seq.current &&
        setState((s) => ({
          ...(s.result ? { result: s.result } : {}),
          error: err instanceof ApiError ? err : new ApiError(0, 'Error', String(err)),
          validating: false,
        })),
    );
  };
  useEffect(() => {
    if (body === undefined) {
      seq.current++;
      setState({ validating: false });
      return;
    }
    const t = setTimeout(run, DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [key]);
  return { ...state, run };
}
