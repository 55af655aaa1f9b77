import { useCallback, useEffect, useState } from "react";
import { z } from "zod";
import { pollResultSchema, type WireSource, wireSourceSchema } from "../../../shared/wires";
import { formatExact } from "../components/RelativeTime";
import { ApiError, noContent, useOperatorCall } from "./api";
import { ConfirmDialog } from "./ConfirmDialog";
import { EMPTY_DRAFT, SourceForm } from "./SourceForm";
import { useLoad } from "./useLoad";
import { useRevealTarget } from "./useRevealTarget";

/** A wire's health at a glance, in words. */
export function healthOf(source: WireSource): string {
  if (!source.enabled) return source.disabledReason === null ? "Paused" : `Stopped: ${source.disabledReason}`;
  if (source.lastFetchedAt === null) return "Not fetched yet";
  if (source.lastError !== null) return `Failing (${source.consecutiveErrors} in a row): ${source.lastError}`;
  return "Healthy";
}

function SourceRow({
  source,
  reload,
  announce,
}: {
  source: WireSource;
  reload: () => void;
  /** Says something under the screen, where it is still heard once this row is gone. */
  announce: (text: string) => void;
}) {
  const operatorCall = useOperatorCall();
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const act = async (work: () => Promise<string>) => {
    try {
      setMessage(await work());
    } catch (caught) {
      setMessage(caught instanceof ApiError ? caught.message : "The server could not be reached; try again.");
    }
    reload();
  };
  const pollNow = () =>
    act(async () => {
      const result = await operatorCall("POST", `/api/sources/${source.id}/poll`, pollResultSchema);
      return `Fetched: ${result.created} new, ${result.updated} updated, ${result.held} held, ${result.skipped} unchanged.`;
    });
  const toggle = () =>
    act(async () => {
      await operatorCall("PATCH", `/api/sources/${source.id}`, wireSourceSchema, {
        enabled: !source.enabled,
      });
      return source.enabled ? `Paused ${source.name}.` : `Following ${source.name} again.`;
    });
  return (
    <li className="row" id={`source-${source.id}`} tabIndex={-1} aria-labelledby={`source-${source.id}-name`}>
      <div className="row-text">
        <p className="row-headline" id={`source-${source.id}-name`}>
          {source.name}
        </p>
        <p className="row-meta">
          <span>{source.url}</span>
          <span>{source.mode === "hold" ? "held in Incoming" : "published at once"}</span>
          <span>{source.entriesCreated} entries</span>
        </p>
        <p className="row-meta">
          <span>{healthOf(source)}</span>
          {source.lastFetchedAt !== null && <span>last fetched {formatExact(source.lastFetchedAt)}</span>}
          {source.enabled && <span>next {formatExact(source.nextFetchAt)}</span>}
        </p>
        <p role="status" className="hint">
          {message}
        </p>
      </div>
      <div className="row-actions">
        <button type="button" onClick={() => void pollNow()}>
          Poll now<span className="sr-only"> {source.name}</span>
        </button>
        <button type="button" onClick={() => void toggle()}>
          {source.enabled ? "Pause" : "Enable"}
          <span className="sr-only"> {source.name}</span>
        </button>
        <button type="button" aria-expanded={editing} onClick={() => setEditing(!editing)}>
          Edit<span className="sr-only"> {source.name}</span>
        </button>
        <button type="button" className="danger" onClick={() => setRemoving(true)}>
          Remove<span className="sr-only"> {source.name}</span>
        </button>
      </div>
      {removing && (
        <ConfirmDialog
          question={{
            title: `Stop following “${source.name}”?`,
            consequence: `Its entries waiting in Incoming go with it; the items it already published stay in the timeline.`,
            confirm: `Remove ${source.name}`,
            danger: true,
          }}
          onConfirm={async () => {
            try {
              await operatorCall("DELETE", `/api/sources/${source.id}`, noContent);
              announce(`Removed ${source.name}.`);
            } catch (caught) {
              setMessage(
                caught instanceof ApiError ? caught.message : "The server could not be reached; try again.",
              );
            }
            setRemoving(false);
            reload();
          }}
          onClose={() => setRemoving(false)}
        />
      )}
      {editing && (
        <section aria-label={`Edit ${source.name}`} className="row-edit">
          <SourceForm
            idPrefix={`edit-${source.id}`}
            initial={{
              url: source.url,
              name: source.name,
              topics: source.topics,
              mode: source.mode,
              interval: source.intervalSeconds === null ? "" : String(source.intervalSeconds),
            }}
            submitLabel="Save wire"
            save={(body) => operatorCall("PATCH", `/api/sources/${source.id}`, wireSourceSchema, body)}
            onSaved={() => {
              setEditing(false);
              reload();
            }}
          />
        </section>
      )}
    </li>
  );
}

const sourcesSchema = z.array(wireSourceSchema);
const HEALTH_REFRESH_MS = 5000;

/** Sources: the wires livedesk follows, their health, and a form to follow another. */
export function SourcesScreen() {
  const operatorCall = useOperatorCall();
  const load = useCallback(() => operatorCall("GET", "/api/sources", sourcesSchema), [operatorCall]);
  const { data: sources, failed, reload } = useLoad(load);
  const [formKey, setFormKey] = useState(0);
  const [said, setSaid] = useState<string | null>(null);
  useRevealTarget(sources !== undefined);
  // Wires are fetched in the background: their health is read again every few seconds.
  useEffect(() => {
    const timer = setInterval(reload, HEALTH_REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  return (
    <section aria-labelledby="sources-heading">
      <h2 id="sources-heading">Sources</h2>
      {failed && <p role="alert">The wires could not be loaded; try again.</p>}
      {sources !== undefined && sources.length === 0 && <p>No wires yet: add the first one below.</p>}
      <ul className="plain-list" aria-label="Wires">
        {(sources ?? []).map((source) => (
          <SourceRow key={source.id} source={source} reload={reload} announce={setSaid} />
        ))}
      </ul>
      <h3>Add a wire</h3>
      <SourceForm
        key={formKey}
        idPrefix="source"
        initial={EMPTY_DRAFT}
        submitLabel="Add wire"
        save={(body) => operatorCall("POST", "/api/sources", wireSourceSchema, body)}
        onSaved={(source) => {
          setFormKey((key) => key + 1);
          setSaid(`Added ${source.name}; it is fetched within a few seconds.`);
          reload();
        }}
      />
      <p role="status">{said}</p>
    </section>
  );
}
