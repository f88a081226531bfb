/**
 * One stack: status (live, or marked as last known while the feed is interrupted), breakpoints waiting, and the
 * tabs — topology graph with resource details, resources, events, outputs, parameters, template. Update and
 * delete (with confirmation) start here.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client.js';
import { DeploymentsTab, serverNames } from '../deployments/deployments-tab.js';
import { isDeploymentGroupType, isDeploymentType, isProgressEvent } from '../deployments/deployment-model.js';
import { GraphView, type GraphResource } from '../graph/graph-view.js';
import { nodeKey } from '../graph/model.js';
import { href, navigate } from '../router.js';
import { EventsTab } from '../stack/events-tab.js';
import { HooksPanel } from '../stack/hooks-panel.js';
import { LiveStack, type LiveState } from '../stack/live-stack.js';
import { OutputsTab } from '../stack/outputs-tab.js';
import { MASK, ParametersTab } from '../stack/parameters-tab.js';
import { ResourcePanel } from '../stack/resource-panel.js';
import { ResourcesTab } from '../stack/resources-tab.js';
import { TemplateTab } from '../stack/template-tab.js';
import { Banner } from '../ui/banner.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { clock, formatTime, messageOf } from '../ui/format.js';
import { StatusBadge } from '../ui/status.js';
import { Tabs } from '../ui/tabs.js';

const TABS = [
  { id: 'topology', label: 'Topology' },
  { id: 'resources', label: 'Resources' },
  { id: 'events', label: 'Events' },
  { id: 'outputs', label: 'Outputs' },
  { id: 'parameters', label: 'Parameters' },
  { id: 'template', label: 'Template' },
];
/** The Deployments tab, shown for stacks with software deployments. */
const DEPLOYMENTS_TAB = { id: 'deployments', label: 'Deployments' };

/** Whether the stack has software deployments (among the resources loaded, or streaming output). */
function hasDeployments(state: LiveState): boolean {
  for (const items of state.resources.values()) {
    if (items.some((r) => isDeploymentType(r.resource_type) || isDeploymentGroupType(r.resource_type)))
      return true;
  }
  return state.events.some(isProgressEvent);
}

/** Follows a stack while the page is open. */
function useLiveStack(client: ApiClient, name: string, id: string): { live: LiveStack; state: LiveState } {
  const [, setVersion] = useState(0);
  const live = useMemo(() => {
    let scheduled = false;
    // Re-render at most once per frame, however many events arrive.
    return new LiveStack(client, name, id, () => {
      if (scheduled) return;
      scheduled = true;
      requestAnimationFrame(() => {
        scheduled = false;
        setVersion((v) => v + 1);
      });
    });
  }, [client, name, id]);
  useEffect(() => {
    void live.start();
    return () => live.stop();
  }, [live]);
  return { live, state: live.state };
}

/** What the live indicator says. */
function LiveIndicator(props: { state: LiveState }) {
  const s = props.state.stream;
  const text =
    s.kind === 'live'
      ? 'Live'
      : s.kind === 'connecting'
        ? 'Connecting…'
        : s.kind === 'retrying'
          ? 'Reconnecting…'
          : props.state.gone
            ? 'Stopped'
            : 'Not live';
  return (
    <span class={`live-indicator live-${s.kind}`} role="status" aria-live="polite">
      <span class="dot" aria-hidden="true" />
      {text}
    </span>
  );
}

/** The stack page. */
export function StackPage(props: { client: ApiClient; name: string; id: string; tab: string }) {
  const { live, state } = useLiveStack(props.client, props.name, props.id);
  const [selected, setSelected] = useState<GraphResource | undefined>(undefined);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [actionError, setActionError] = useState<string | undefined>(undefined);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);

  const stackPath = (stackId: string) =>
    `/stacks/${encodeURIComponent(state.stackNames.get(stackId) ?? props.name)}/${encodeURIComponent(stackId)}`;
  const isLive = state.stream.kind === 'live';
  const tabs = hasDeployments(state) ? [...TABS.slice(0, 3), DEPLOYMENTS_TAB, ...TABS.slice(3)] : TABS;
  const stale = state.interrupted || state.gone !== undefined;
  const status = state.status;
  const busy = status?.stack_status.endsWith('_IN_PROGRESS') ?? false;
  const pausedKeys = new Set<string>();
  for (const h of state.hooks) {
    const ref = /\/stacks\/[^/]+\/([^/?#]+)/.exec(h.stackUrl);
    pausedKeys.add(nodeKey(ref ? decodeURIComponent(ref[1]!) : props.id, h.resource));
  }
  const selectedKey = selected ? nodeKey(selected.stackId, selected.resource.resource_name) : undefined;
  const selectedNow = selected
    ? (state.resources
        .get(selected.stackId)
        ?.find((r) => r.resource_name === selected.resource.resource_name) ?? selected.resource)
    : undefined;
  const hookOf = (key: string) =>
    state.hooks.find((h) => {
      const ref = /\/stacks\/[^/]+\/([^/?#]+)/.exec(h.stackUrl);
      return nodeKey(ref ? decodeURIComponent(ref[1]!) : props.id, h.resource) === key;
    });
  const select = (_key: string, item: GraphResource) => setSelected(item);
  const toggle = (item: GraphResource) => void live.toggle(item.stackId, item.resource);
  const clearHook = async (h: Parameters<LiveStack['clearHook']>[0]) => {
    await live.clearHook(h);
  };

  const doDelete = async () => {
    setDeleting(true);
    setActionError(undefined);
    try {
      await props.client.delete(stackPath(props.id));
      setConfirmDelete(false);
      void live.refresh();
    } catch (err) {
      setActionError(`The stack could not be deleted: ${messageOf(err)}`);
      setConfirmDelete(false);
    } finally {
      setDeleting(false);
    }
  };

  const panel =
    selected && selectedNow ? (
      <ResourcePanel
        key={selectedKey}
        client={props.client}
        stackPath={stackPath(selected.stackId)}
        item={selectedNow}
        {...(hookOf(selectedKey!) ? { hook: hookOf(selectedKey!)! } : {})}
        expanded={state.expanded.has(selectedKey!)}
        onToggle={() => toggle({ stackId: selected.stackId, resource: selectedNow })}
        onClearHook={clearHook}
        onClose={() => setSelected(undefined)}
        events={state.events}
        serverNames={serverNames([...state.resources.values()].flat())}
      />
    ) : null;

  const streamBanner = (() => {
    const s = state.stream;
    if (state.gone || state.loading) return null;
    if (s.kind === 'retrying') {
      const seconds = Math.max(0, Math.ceil((s.retryAt - now) / 1000));
      return (
        <Banner kind="warning" action={{ label: 'Reconnect now', run: () => live.reconnect() }}>
          Live updates are interrupted ({s.reason}). The page shows the state as of{' '}
          {state.syncedAt ? clock(state.syncedAt) : 'its last load'}; reconnecting in {seconds} s.
        </Banner>
      );
    }
    if (s.kind === 'closed' && s.reason !== 'page closed')
      return (
        <Banner kind="warning" action={{ label: 'Reload', run: () => location.reload() }}>
          Live updates stopped ({s.reason}).
        </Banner>
      );
    return null;
  })();

  return (
    <div class="stack-page">
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href={href({ page: 'stacks' })}>Stacks</a> › <span aria-current="page">{props.name}</span>
      </nav>
      <header class="stack-header">
        <div>
          <h1>{props.name}</h1>
          <p class="muted mono">{props.id}</p>
        </div>
        <div class="stack-status">
          <StatusBadge status={status?.stack_status} stale={stale && status !== undefined} />
          <LiveIndicator state={state} />
          <p class="reason">{status?.stack_status_reason}</p>
          {state.syncedAt ? <p class="muted small">Loaded {clock(state.syncedAt)}</p> : null}
        </div>
        <div class="actions">
          <button
            type="button"
            class="secondary"
            onClick={() => void live.refresh()}
            disabled={state.gone !== undefined}
          >
            Refresh
          </button>
          <button
            type="button"
            class="secondary"
            onClick={() => navigate({ page: 'update', name: props.name, id: props.id })}
            disabled={busy || state.gone !== undefined || !state.detail}
          >
            Update…
          </button>
          <button
            type="button"
            class="danger"
            onClick={() => setConfirmDelete(true)}
            disabled={
              state.gone !== undefined || status?.stack_status === 'DELETE_IN_PROGRESS' || !state.detail
            }
          >
            Delete…
          </button>
        </div>
      </header>
      {state.gone ? (
        <Banner kind="info" action={{ label: 'Back to the stacks', run: () => navigate({ page: 'stacks' }) }}>
          {state.gone} What is shown below is its last known state.
        </Banner>
      ) : null}
      {state.error ? (
        <Banner kind="error" action={{ label: 'Retry', run: () => void live.refresh() }}>
          {state.error}
        </Banner>
      ) : null}
      {actionError ? <Banner kind="error">{actionError}</Banner> : null}
      {streamBanner}
      {state.loading ? <p class="muted">Loading the stack…</p> : null}
      <HooksPanel hooks={state.hooks} onClear={clearHook} />
      {state.detail || state.resources.size ? (
        <Tabs
          label="Stack views"
          tabs={tabs}
          selected={props.tab}
          onSelect={(tab) => navigate({ page: 'stack', name: props.name, id: props.id, tab })}
        >
          {props.tab === 'topology' ? (
            <div class={`with-panel${panel ? ' open' : ''}`}>
              {state.resources.get(props.id)?.length ? (
                <GraphView
                  input={{ rootStackId: props.id, resources: state.resources, expanded: state.expanded }}
                  {...(selectedKey ? { selected: selectedKey } : {})}
                  pausedKeys={pausedKeys}
                  stale={stale}
                  onSelect={select}
                  onToggle={toggle}
                />
              ) : (
                <p class="muted">This stack has no resources.</p>
              )}
              {panel}
            </div>
          ) : props.tab === 'resources' ? (
            <div class={`with-panel${panel ? ' open' : ''}`}>
              <ResourcesTab
                rootStackId={props.id}
                resources={state.resources}
                expanded={state.expanded}
                pausedKeys={pausedKeys}
                stale={stale}
                onSelect={select}
                onToggle={toggle}
              />
              {panel}
            </div>
          ) : props.tab === 'events' ? (
            <EventsTab
              events={state.events}
              rootStackName={props.name}
              live={isLive}
              onLoadOlder={() => live.loadOlder()}
            />
          ) : props.tab === 'deployments' ? (
            <DeploymentsTab
              client={props.client}
              stackPath={stackPath(props.id)}
              rootStackName={props.name}
              events={state.events}
            />
          ) : props.tab === 'outputs' ? (
            <OutputsTab outputs={state.detail?.outputs} settled={!busy} />
          ) : props.tab === 'parameters' ? (
            <ParametersTab parameters={state.detail?.parameters} />
          ) : props.tab === 'template' ? (
            <TemplateTab
              client={props.client}
              stackPath={stackPath(props.id)}
              version={state.detail?.updated_time ?? null}
              hidden={
                new Set(
                  Object.entries(state.detail?.parameters ?? {})
                    .filter(([, v]) => v === MASK)
                    .map(([k]) => k),
                )
              }
            />
          ) : null}
        </Tabs>
      ) : null}
      {state.detail ? (
        <p class="muted small">
          Created {formatTime(state.detail.creation_time)}
          {state.detail.updated_time ? ` · updated ${formatTime(state.detail.updated_time)}` : ''}
          {state.detail.stack_owner ? ` · owner ${state.detail.stack_owner}` : ''}
        </p>
      ) : null}
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete stack ${props.name}?`}
        confirmLabel="Delete stack"
        danger
        busy={deleting}
        onConfirm={() => void doDelete()}
        onCancel={() => setConfirmDelete(false)}
      >
        <p>
          Every resource of <strong>{props.name}</strong> is deleted, nested stacks included. This cannot be
          undone.
        </p>
      </ConfirmDialog>
    </div>
  );
}
