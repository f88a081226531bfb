/**
 * `POST /validate`. Like Heat, `StackValidationFailed` and template-section problems found while validating
 * are answered as `HTTPBadRequest` with the problem's message (Heat's engine returns `{Error: str(ex)}` for
 * those and the API raises HTTPBadRequest, with `str(ex)`'s single `: ` separators); other errors keep their type (`InvalidTemplateVersion`,
 * `InvalidTemplateReference`, `UnknownUserParameter`, …). Hearth's `Warnings` are returned only with
 * `?with_warnings=true`, so Heat clients see Heat's exact keys.
 */
import type { FastifyInstance } from 'fastify';
import { HeatError, ValidationFailure, problemsOf } from '../../template/errors.js';
import { param, query, sendJson, type ApiContext } from '../context.js';
import { boolParam, multi } from '../params.js';
import { parseValidateBody } from '../request-body.js';
import { route } from '../route-table.js';
import { validateOperation } from '../schemas/validate.js';

/** Error types that Heat's validate turns into HTTPBadRequest. */
const RETYPED = new Set(['StackValidationFailed', 'InvalidTemplateSection']);

/** Re-types a 400 validation error as Heat's validate answers it. */
export function asValidateError(err: HeatError): HeatError {
  if (!problemsOf(err).some((p) => RETYPED.has(p.type))) return err;
  const retype = (p: HeatError) =>
    new HeatError('HTTPBadRequest', p.message.replace(/: : /g, ': '), {
      ...(p.path ? { path: p.path } : {}),
      ...(p.position ? { position: p.position } : {}),
      ...(p.hint ? { hint: p.hint } : {}),
    });
  const problems = problemsOf(err).map((p) => (RETYPED.has(p.type) ? retype(p) : p));
  return problems.length > 1 ? new ValidationFailure(problems) : problems[0]!;
}

/** Registers the validate route. */
export function registerValidateRoutes(app: FastifyInstance, ctx: ApiContext): void {
  route(
    app,
    '/v1/:tenant/validate',
    {
      POST: async (req, reply) => {
        const q = query(req);
        const showNested = boolParam(q, 'show_nested');
        const withWarnings = boolParam(q, 'with_warnings') ?? false;
        const ignore = multi(q, 'ignore_errors')
          .flatMap((v) => v.split(','))
          .filter((v) => v !== '');
        const body = parseValidateBody(req.body, {
          ...(showNested !== undefined ? { showNested } : {}),
          ...(ignore.length ? { ignoreErrors: ignore } : {}),
        });
        try {
          const { Warnings: warnings, ...result } = await ctx.engine.validateTemplate(
            param(req, 'tenant'),
            body,
          );
          // Heat's exact keys unless the client asks for Hearth's warnings (`?with_warnings=true`).
          return sendJson(reply, 200, withWarnings ? { ...result, Warnings: warnings ?? [] } : result);
        } catch (err) {
          if (err instanceof HeatError) throw asValidateError(err);
          throw err;
        }
      },
    },
    { POST: validateOperation },
  );
}
