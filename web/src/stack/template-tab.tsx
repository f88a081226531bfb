/**
 * The stack's template and environment, as YAML with syntax highlighting.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client.js';
import { CodeView } from '../template/code-view.js';
import { toYaml } from '../template/to-yaml.js';
import { Banner } from '../ui/banner.js';
import { messageOf } from '../ui/format.js';

/** The environment with the values of hidden parameters masked (the API returns them as given). */
export function maskEnvironment(
  env: Record<string, unknown>,
  hidden: ReadonlySet<string>,
): Record<string, unknown> {
  const mask = (section: unknown) =>
    section && typeof section === 'object'
      ? Object.fromEntries(Object.entries(section).map(([k, v]) => [k, hidden.has(k) ? '******' : v]))
      : section;
  return { ...env, parameters: mask(env.parameters), parameter_defaults: mask(env.parameter_defaults) };
}

/** Loads and shows the template (and the environment when it says anything); `hidden`: hidden parameters. */
export function TemplateTab(props: {
  client: ApiClient;
  stackPath: string;
  version?: string | null;
  hidden: ReadonlySet<string>;
}) {
  const [state, setState] = useState<{ template?: string; environment?: string; error?: string }>({});
  useEffect(() => {
    let current = true;
    Promise.all([
      props.client.get<unknown>(`${props.stackPath}/template`),
      props.client.get<Record<string, unknown>>(`${props.stackPath}/environment`).catch(() => undefined),
    ]).then(
      ([template, environment]) => {
        const meaningful =
          environment &&
          Object.values(environment).some((v) => v && typeof v === 'object' && Object.keys(v).length > 0);
        if (!current) return;
        const shown = meaningful ? { environment: toYaml(maskEnvironment(environment, props.hidden)) } : {};
        setState({ template: toYaml(template), ...shown });
      },
      (err: unknown) => current && setState({ error: messageOf(err) }),
    );
    return () => {
      current = false;
    };
  }, [props.stackPath, props.version]);
  if (state.error) return <Banner kind="error">Could not load the template: {state.error}</Banner>;
  if (state.template === undefined) return <p class="muted">Loading the template…</p>;
  return (
    <div>
      <h3>Template</h3>
      <CodeView text={state.template} label="Template" />
      {state.environment ? (
        <>
          <h3>Environment</h3>
          <CodeView text={state.environment} label="Environment" />
        </>
      ) : null}
    </div>
  );
}
