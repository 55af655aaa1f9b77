import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import { Link, useLocation, useSearch } from "wouter";
import { AUDIT_ACTIONS, type AuditEntry, type AuditPage, auditPageSchema } from "../../../shared/requests";
import { formatExact } from "../components/RelativeTime";
import { useOperatorCall } from "./api";

const PAGE = 100;

interface Filters {
  actor: string;
  action: string;
  target: string;
}

function filtersOf(search: string): Filters {
  const params = new URLSearchParams(search);
  return {
    actor: params.get("actor") ?? "",
    // An action this desk does not record (an old link's, a typo) would only be refused.
    action: AUDIT_ACTIONS.find((action) => action === params.get("action")) ?? "",
    target: params.get("target") ?? "",
  };
}

function queryOf(filters: Filters, before: string | null): string {
  const params = new URLSearchParams({ limit: String(PAGE) });
  for (const [name, value] of Object.entries(filters)) {
    if (value.trim() !== "") params.set(name, value.trim());
  }
  if (before !== null) params.set("before", before);
  return params.toString();
}

/**
 * Where the thing a line is about can be seen: an item's permalink (a wire's entry once published
 * is an item), a picture, or its row on an admin screen.
 */
function TargetLink({ entry }: { entry: AuditEntry }) {
  const [kind] = entry.action.split(".");
  const target = encodeURIComponent(entry.target);
  // The permalink and the picture lie outside the panel's routes: a plain link leaves the panel.
  if (kind === "item" || entry.action === "incoming.published")
    return <a href={`/items/${target}`}>{entry.target}</a>;
  if (kind === "media") return <a href={`/media/${target}`}>{entry.target}</a>;
  const screen = { operator: "/operators", topic: "/topics", token: "/tokens", source: "/sources" }[
    kind ?? ""
  ];
  if (screen === undefined || entry.action === "source.deleted") return <code>{entry.target}</code>;
  return <Link href={`${screen}#${kind}-${target}`}>{entry.target}</Link>;
}

interface Log {
  entries: AuditPage["entries"];
  nextCursor: string | null;
  answered: boolean;
  loading: boolean;
  failed: boolean;
}

/**
 * Every change, newest first: who, when, what, with a link to what changed. Filters live in the
 * URL (`/admin/audit?target=…`), so a filtered log can be shared; older entries load page by page.
 */
export function AuditScreen() {
  const search = useSearch();
  const [, navigate] = useLocation();
  const applied = filtersOf(search);
  const [draft, setDraft] = useState<Filters>(applied);
  const [log, setLog] = useState<Log>({
    entries: [],
    nextCursor: null,
    answered: false,
    loading: true,
    failed: false,
  });
  const generation = useRef(0);
  const operatorCall = useOperatorCall();
  const appliedKey = queryOf(applied, null);

  const read = useCallback(
    (before: string | null) => {
      const mine = generation.current;
      setLog((current) => ({ ...current, loading: true, failed: false }));
      operatorCall("GET", `/api/audit?${queryOf(filtersOf(search), before)}`, auditPageSchema).then(
        (page) => {
          if (generation.current !== mine) return;
          setLog((current) => ({
            entries: before === null ? page.entries : [...current.entries, ...page.entries],
            nextCursor: page.nextCursor,
            answered: true,
            loading: false,
            failed: false,
          }));
        },
        () => {
          if (generation.current === mine)
            setLog((current) => ({ ...current, loading: false, failed: true }));
        },
      );
    },
    [operatorCall, search],
  );

  // The form follows the URL when it changes (a filter applied, Back), not when the screen opens:
  // the effect runs after the first paint, and an operator quick to choose a filter would lose it.
  const draftKey = useRef(appliedKey);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `appliedKey` stands for the filters in the URL
  useEffect(() => {
    generation.current += 1;
    if (draftKey.current !== appliedKey) {
      draftKey.current = appliedKey;
      setDraft(filtersOf(search));
    }
    read(null);
  }, [appliedKey]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(draft)) {
      if (value.trim() !== "") params.set(name, value.trim());
    }
    const query = params.toString();
    navigate(query === "" ? "/audit" : `/audit?${query}`);
  };

  const filtered = Object.values(applied).some((value) => value !== "");

  return (
    <section aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit log</h2>
      <form onSubmit={submit} className="audit-filters" aria-label="Filter the audit log">
        <label>
          Who{" "}
          <input
            value={draft.actor}
            placeholder="username or token name"
            onChange={(event) => setDraft({ ...draft, actor: event.target.value })}
          />
        </label>
        <label>
          Action{" "}
          <select
            value={draft.action}
            onChange={(event) => setDraft({ ...draft, action: event.target.value })}
          >
            <option value="">Every action</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </label>
        <label>
          Target{" "}
          <input
            value={draft.target}
            placeholder="item, picture, wire or token id, username, topic"
            onChange={(event) => setDraft({ ...draft, target: event.target.value })}
          />
        </label>
        <button type="submit">Filter</button>
        {filtered && <Link href="/audit">Show everything</Link>}
        <button
          type="button"
          onClick={() => {
            generation.current += 1;
            read(null);
          }}
        >
          Refresh
        </button>
      </form>
      {log.failed && <p role="alert">The audit log could not be loaded.</p>}
      <p aria-live="polite" className="list-empty">
        {log.answered && log.entries.length === 0
          ? filtered
            ? "No entries match these filters."
            : "Nothing has been logged yet."
          : ""}
      </p>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Target</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {log.entries.map((entry) => (
              <tr key={entry.id}>
                <td>
                  <time dateTime={entry.at}>{formatExact(entry.at)}</time>
                </td>
                <td>{entry.actor}</td>
                <td>{entry.action}</td>
                <td>
                  <TargetLink entry={entry} />
                </td>
                <td dir="auto">{entry.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {log.nextCursor !== null && (
        <button
          type="button"
          aria-disabled={log.loading}
          onClick={() => {
            if (!log.loading) read(log.nextCursor);
          }}
        >
          {log.loading ? "Loading…" : "Load older entries"}
        </button>
      )}
    </section>
  );
}
