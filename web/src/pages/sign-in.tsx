/**
 * Sign-in with project credentials (user, password, project, domain); under `--insecure-noauth` only the
 * project is asked. A message says why the user is here again (session expired, signed out).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { signIn, type Credentials, type DashboardConfig, type Session } from '../api/session.js';
import { Banner } from '../ui/banner.js';
import { messageOf } from '../ui/format.js';

/** The sign-in page. */
export function SignInPage(props: {
  config: DashboardConfig;
  message?: string;
  onSignedIn(s: Session): void;
}) {
  const noauth = props.config.auth === 'noauth';
  const [c, setC] = useState<Credentials>({
    project: noauth ? 'demo' : '',
    user: '',
    password: '',
    domain: 'Default',
  });
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const set = (patch: Partial<Credentials>) => setC((old) => ({ ...old, ...patch }));
  const missing = noauth ? !c.project.trim() : !c.project.trim() || !c.user.trim() || !c.password;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (missing) {
      setError(noauth ? 'Enter a project.' : 'Enter the project, your user name and your password.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      props.onSignedIn(await signIn(props.config, c));
    } catch (err) {
      setError(messageOf(err));
      setC((old) => ({ ...old, password: '' }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="sign-in">
      <h1>Sign in to Hearth</h1>
      {props.message ? <Banner kind="warning">{props.message}</Banner> : null}
      {error ? <Banner kind="error">{error}</Banner> : null}
      <form onSubmit={(e) => void submit(e)} noValidate>
        {noauth ? (
          <p class="help">
            This server runs without authentication (<span class="mono">--insecure-noauth</span>): name the
            project to work in.
          </p>
        ) : null}
        {!noauth ? (
          <>
            <div class="field">
              <label for="user">User name</label>
              <input
                id="user"
                ref={first}
                autoComplete="username"
                value={c.user}
                onInput={(e) => set({ user: e.currentTarget.value })}
              />
            </div>
            <div class="field">
              <label for="password">Password</label>
              <input
                id="password"
                type="password"
                autoComplete="current-password"
                value={c.password}
                onInput={(e) => set({ password: e.currentTarget.value })}
              />
            </div>
          </>
        ) : null}
        <div class="field">
          <label for="project">Project</label>
          <input
            id="project"
            ref={noauth ? first : undefined}
            autoComplete="organization"
            value={c.project}
            onInput={(e) => set({ project: e.currentTarget.value })}
          />
        </div>
        {!noauth ? (
          <div class="field">
            <label for="domain">Domain</label>
            <input id="domain" value={c.domain} onInput={(e) => set({ domain: e.currentTarget.value })} />
          </div>
        ) : null}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
    </div>
  );
}
