import { useCallback, useEffect, useState } from "react";
import { z } from "zod";
import { itemSchema } from "../../../shared/item";
import { type IncomingEntry, incomingEntrySchema } from "../../../shared/wires";
import { formatExact } from "../components/RelativeTime";
import { onIncomingChanged } from "../socket";
import { adviceFromServer } from "./advice";
import { ApiError, noContent, useOperatorCall } from "./api";
import { useLoad } from "./useLoad";

const incomingSchema = z.array(incomingEntrySchema);

function IncomingRow({ entry, settled }: { entry: IncomingEntry; settled: (message: string) => void }) {
  const operatorCall = useOperatorCall();
  const [breaking, setBreaking] = useState(false);
  const [editing, setEditing] = useState(false);
  const [headline, setHeadline] = useState(entry.headline);
  const [summary, setSummary] = useState(entry.summary);
  const [problem, setProblem] = useState<string | null>(null);
  const failed = (caught: unknown) => {
    if (!(caught instanceof ApiError)) {
      setProblem("The server could not be reached; try again.");
      return;
    }
    const advice = adviceFromServer(caught.fields);
    setProblem(Object.keys(advice).length > 0 ? Object.values(advice).join(" ") : caught.message);
  };
  const publish = async () => {
    const edits = {
      ...(headline === entry.headline ? {} : { headline }),
      ...(summary === entry.summary ? {} : { summary }),
    };
    try {
      await operatorCall("POST", `/api/incoming/${entry.id}/publish`, itemSchema, { breaking, ...edits });
      settled(`Published “${edits.headline ?? entry.headline}”${breaking ? " as breaking" : ""}.`);
    } catch (caught) {
      failed(caught);
    }
  };
  const discard = async () => {
    try {
      await operatorCall("DELETE", `/api/incoming/${entry.id}`, noContent);
      settled(`Discarded “${entry.headline}”.`);
    } catch (caught) {
      failed(caught);
    }
  };
  const id = `incoming-${entry.id}`;
  return (
    <article className="row" aria-labelledby={`${id}-headline`}>
      <div className="row-text">
        <h3 className="row-headline" id={`${id}-headline`} dir="auto">
          {entry.headline}
        </h3>
        <p className="row-meta">
          <span>{entry.sourceName}</span>
          <span>{formatExact(entry.publishedAt)}</span>
          {entry.url !== null && (
            <a href={entry.url} rel="noopener noreferrer" target="_blank">
              Open the original<span className="sr-only"> of {entry.headline}</span>
            </a>
          )}
        </p>
        {entry.summary !== "" && (
          <p className="summary" dir="auto">
            {entry.summary}
          </p>
        )}
        {editing && (
          <div className="incoming-edit">
            <div className="field">
              <label htmlFor={`${id}-edit-headline`}>Headline</label>
              <input
                id={`${id}-edit-headline`}
                value={headline}
                dir="auto"
                onChange={(event) => setHeadline(event.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-edit-summary`}>Summary</label>
              <textarea
                id={`${id}-edit-summary`}
                value={summary}
                dir="auto"
                rows={4}
                onChange={(event) => setSummary(event.target.value)}
              />
            </div>
          </div>
        )}
        {problem !== null && (
          <p role="alert" className="field-error">
            {problem}
          </p>
        )}
      </div>
      <div className="row-actions">
        <button type="button" aria-expanded={editing} onClick={() => setEditing(!editing)}>
          Edit<span className="sr-only"> {entry.headline}</span>
        </button>
        <label className="check">
          <input type="checkbox" checked={breaking} onChange={(event) => setBreaking(event.target.checked)} />
          Breaking<span className="sr-only"> {entry.headline}</span>
        </label>
        <button type="button" className="primary" onClick={() => void publish()}>
          Publish<span className="sr-only"> {entry.headline}</span>
        </button>
        <button type="button" onClick={() => void discard()}>
          Discard<span className="sr-only"> {entry.headline}</span>
        </button>
      </div>
    </article>
  );
}

/** Incoming: wire entries held for an operator, live; each published (maybe as breaking) or discarded. */
export function IncomingScreen() {
  const operatorCall = useOperatorCall();
  const load = useCallback(() => operatorCall("GET", "/api/incoming", incomingSchema), [operatorCall]);
  const { data: entries, failed, reload } = useLoad(load);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => onIncomingChanged(reload), [reload]);
  return (
    <section aria-labelledby="incoming-heading">
      <h2 id="incoming-heading">Incoming</h2>
      <p role="status">{message}</p>
      {failed && <p role="alert">Incoming could not be loaded; try again.</p>}
      {entries !== undefined && entries.length === 0 && (
        <p>Nothing is waiting: held wire entries appear here.</p>
      )}
      <div role="feed" aria-label="Held entries" aria-busy={entries === undefined}>
        {(entries ?? []).map((entry) => (
          <IncomingRow
            key={entry.id}
            entry={entry}
            settled={(text) => {
              setMessage(text);
              reload();
            }}
          />
        ))}
      </div>
    </section>
  );
}
