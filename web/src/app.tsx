/**
 * The dashboard: configuration, the session (sign-in, expiry, sign-out), the header and the routed page.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient } from './api/client.js';
import {
  clearSession,
  loadConfig,
  revoke,
  storedSession,
  storeSession,
  type DashboardConfig,
  type Session,
} from './api/session.js';
import { LaunchPage } from './pages/launch.js';
import { SignInPage } from './pages/sign-in.js';
import { StackListPage } from './pages/stack-list.js';
import { StackPage } from './pages/stack-page.js';
import { UpdatePage } from './pages/update.js';
import { href, useRoute } from './router.js';
import { Banner } from './ui/banner.js';
import { clock, messageOf } from './ui/format.js';

/** The whole application. */
export function App() {
  const [config, setConfig] = useState<DashboardConfig | undefined>(undefined);
  const [configError, setConfigError] = useState<string | undefined>(undefined);
  const [session, setSession] = useState<Session | undefined>(() => storedSession());
  const [message, setMessage] = useState<string | undefined>(undefined);
  const route = useRoute();

  const loadConfiguration = () => {
    setConfigError(undefined);
    loadConfig().then(setConfig, (err: unknown) => setConfigError(messageOf(err)));
  };
  useEffect(loadConfiguration, []);

  const signOut = (why?: string) => {
    clearSession();
    setSession(undefined);
    setMessage(why);
  };

  // The session ends at the token's expiry, whatever the page is doing.
  useEffect(() => {
    if (!session?.expiresAt) return;
    const left = Date.parse(session.expiresAt) - Date.now();
    const t = setTimeout(
      () => signOut(`Your session expired at ${clock(Date.parse(session.expiresAt!))}. Sign in again.`),
      Math.max(0, Math.min(left, 2 ** 31 - 1)),
    );
    return () => clearTimeout(t);
  }, [session]);

  // A session from another mode (the server restarted with or without noauth) is not reused.
  useEffect(() => {
    if (config && session && session.auth !== config.auth)
      signOut('The server changed how it signs users in. Sign in again.');
  }, [config]);

  const client = useMemo(
    () =>
      session
        ? new ApiClient({
            basePath: `/v1/${encodeURIComponent(session.projectId)}`,
            ...(session.token ? { token: session.token } : {}),
            onUnauthorized: (why) => signOut(why),
          })
        : undefined,
    [session],
  );

  useEffect(() => {
    document.title = route.page === 'stack' || route.page === 'update' ? `${route.name} · Hearth` : 'Hearth';
  }, [route]);

  if (configError)
    return (
      <main id="content" class="narrow">
        <Banner kind="error" action={{ label: 'Try again', run: loadConfiguration }}>
          The dashboard could not reach the Hearth server: {configError}
        </Banner>
      </main>
    );
  if (!config) return <p class="boot">Loading…</p>;
  if (!session || !client)
    return (
      <main id="content" class="narrow">
        <SignInPage
          config={config}
          {...(message ? { message } : {})}
          onSignedIn={(s) => {
            storeSession(s);
            setMessage(undefined);
            setSession(s);
          }}
        />
      </main>
    );

  return (
    <>
      <a
        class="skip"
        href="#content"
        onClick={(e) => (e.preventDefault(), document.getElementById('content')?.focus())}
      >
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={href({ page: 'stacks' })}>
          Hearth
        </a>
        <nav aria-label="Main">
          <a href={href({ page: 'stacks' })} aria-current={route.page === 'stacks' ? 'page' : undefined}>
            Stacks
          </a>
          <a href={href({ page: 'launch' })} aria-current={route.page === 'launch' ? 'page' : undefined}>
            Launch
          </a>
        </nav>
        <div class="who">
          <span>
            {session.userName} · project <strong>{session.projectName}</strong>
          </span>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              void revoke(config, session);
              signOut('You signed out.');
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="content" tabIndex={-1}>
        {route.page === 'stacks' ? (
          <StackListPage client={client} />
        ) : route.page === 'launch' ? (
          <LaunchPage client={client} />
        ) : route.page === 'update' ? (
          <UpdatePage key={`${route.name}/${route.id}`} client={client} name={route.name} id={route.id} />
        ) : (
          <StackPage
            key={`${route.name}/${route.id}`}
            client={client}
            name={route.name}
            id={route.id}
            tab={route.tab}
          />
        )}
      </main>
    </>
  );
}
