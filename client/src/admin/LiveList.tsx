import { useMemo, useState } from "react";
import { type Item, itemSchema } from "../../../shared/item";
import { type ItemStatusFilter, itemStatusFilterSchema } from "../../../shared/requests";
import { RelativeTime } from "../components/RelativeTime";
import { UrgencyBadge, VerificationBadge } from "../components/Signals";
import { useStore } from "../store";
import { ApiError, type OperatorCall, useOperatorCall } from "./api";
import { EditDialog } from "./EditDialog";
import { useFullItems } from "./fullItems";
import type { PanelQuery, VerificationFilter } from "./panelList";
import { RetractDialog } from "./RetractDialog";
import { RetractedText } from "./RetractedText";
import { usePanelList } from "./usePanelList";

/** Pins or unpins; a pin is safe to re-apply on top of someone else's change, so a conflict retries once. */
async function setPinned(operatorCall: OperatorCall, item: Item, pinned: boolean): Promise<void> {
  try {
    await operatorCall("PATCH", `/api/items/${item.id}`, itemSchema, { version: item.version, pinned });
  } catch (caught) {
    if (!(caught instanceof ApiError) || caught.current === undefined) throw caught;
    await operatorCall("PATCH", `/api/items/${item.id}`, itemSchema, {
      version: caught.current.version,
      pinned,
    });
  }
}

const VERIFICATION_FILTERS: readonly { value: VerificationFilter; label: string }[] = [
  { value: "any", label: "Any verification" },
  { value: "none", label: "Not said" },
  { value: "unconfirmed", label: "Unconfirmed" },
  { value: "confirmed", label: "Confirmed" },
  { value: "disputed", label: "Disputed" },
];

const STATUS_LABELS: Record<ItemStatusFilter, string> = {
  all: "All items",
  published: "Live items only",
  retracted: "Retracted only",
};

/** "No items match “storm” in World among retracted items." */
function nothingMatches(query: PanelQuery, topicName: string | undefined): string {
  const parts = [query.q.trim() === "" ? "No items match" : `No items match “${query.q.trim()}”`];
  if (topicName !== undefined) parts.push(`in ${topicName}`);
  if (query.status === "published") parts.push("among live items");
  if (query.status === "retracted") parts.push("among retracted items");
  return `${parts.join(" ")}.`;
}

/**
 * Every item, retracted ones too, searched and paged on the server and kept live; with Edit,
 * Pin/Unpin and Retract.
 */
export function LiveList() {
  const operators = useStore((state) => state.operatorsOnline);
  const me = useStore((state) => state.session?.username);
  const topics = useStore((state) => state.topics);
  const operatorCall = useOperatorCall();
  const [q, setQ] = useState("");
  const [topic, setTopic] = useState<string | null>(null);
  const [status, setStatus] = useState<ItemStatusFilter>("all");
  const [verification, setVerification] = useState<VerificationFilter>("any");
  const query = useMemo<PanelQuery>(
    () => ({ q, topic, status, verification }),
    [q, topic, status, verification],
  );
  const list = usePanelList(query);
  // Live changes come from the public timeline: a retracted row shows everything stored instead.
  const rows = useFullItems(list.rows);
  const [editing, setEditing] = useState<Item | null>(null);
  const [retracting, setRetracting] = useState<Item | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const pin = (item: Item) => {
    setProblem(null);
    setPinned(operatorCall, item, !item.pinned).catch((caught: unknown) =>
      setProblem(caught instanceof ApiError ? caught.message : "The change could not be saved; try again."),
    );
  };

  const topicName = topics.find((known) => known.slug === topic)?.name ?? topic ?? undefined;
  const empty = list.answered && list.rows.length === 0;

  return (
    <section aria-labelledby="live-list-heading" className="live-list">
      <h2 id="live-list-heading">Items</h2>
      <search className="list-filters">
        <input
          type="search"
          aria-label="Search items"
          placeholder="Search items"
          value={q}
          onChange={(event) => setQ(event.target.value)}
        />
        <label>
          Topic{" "}
          <select
            value={topic ?? ""}
            onChange={(event) => setTopic(event.target.value === "" ? null : event.target.value)}
          >
            <option value="">All topics</option>
            {topics.map((known) => (
              <option key={known.slug} value={known.slug}>
                {known.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status{" "}
          <select
            value={status}
            onChange={(event) => setStatus(itemStatusFilterSchema.catch("all").parse(event.target.value))}
          >
            {itemStatusFilterSchema.options.map((option) => (
              <option key={option} value={option}>
                {STATUS_LABELS[option]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Verification{" "}
          <select
            value={verification}
            onChange={(event) => {
              const chosen = VERIFICATION_FILTERS.find((option) => option.value === event.target.value);
              setVerification(chosen?.value ?? "any");
            }}
          >
            {VERIFICATION_FILTERS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      </search>
      {problem !== null && (
        <p role="alert" className="field-error">
          {problem}
        </p>
      )}
      {/* Read out when a search finds nothing; silent while rows are shown. */}
      <p className="list-empty" aria-live="polite">
        {empty ? nothingMatches(query, topicName) : ""}
      </p>
      <ul className="item-rows">
        {rows.map((item) => {
          const editors = operators.filter(
            (operator) => operator.editing === item.id && operator.username !== me,
          );
          return (
            <li key={item.id} className={item.status === "retracted" ? "row retracted" : "row"}>
              <div className="row-text">
                <p className="row-headline" dir="auto">
                  {item.headline}
                </p>
                <p className="row-meta">
                  {item.status === "retracted" && (
                    <span className="badge badge-retracted">
                      {item.withdrawn === true ? "Withdrawn" : "Retracted"}
                    </span>
                  )}
                  <UrgencyBadge item={item} />
                  <VerificationBadge item={item} />
                  {item.keyEvent && <span className="badge">Key event</span>}
                  {item.pinned && <span className="badge">Pinned</span>}
                  <RelativeTime iso={item.publishedAt} /> · v{item.version} · {item.author}
                  {editors.length > 0 && (
                    <span className="editing-now">
                      {" "}
                      · {editors.map((e) => e.username).join(", ")} editing
                    </span>
                  )}
                </p>
              </div>
              {item.status === "retracted" && <RetractedText item={item} />}
              {item.status === "published" && (
                <div className="row-actions">
                  <button type="button" onClick={() => setEditing(item)}>
                    Edit<span className="sr-only"> “{item.headline}”</span>
                  </button>
                  <button type="button" onClick={() => pin(item)}>
                    {item.pinned ? "Unpin" : "Pin"}
                    <span className="sr-only"> “{item.headline}”</span>
                  </button>
                  <button type="button" className="danger" onClick={() => setRetracting(item)}>
                    Retract<span className="sr-only"> “{item.headline}”</span>
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {list.failed && (
        <p role="alert" className="field-error">
          The items could not be loaded; try again.
        </p>
      )}
      {(list.answered || list.failed) && !list.done && (
        // aria-disabled, not disabled: a disabled button would drop the keyboard focus while it loads.
        <button type="button" onClick={list.loadMore} aria-disabled={list.loading}>
          {list.loading ? "Loading…" : list.answered ? "Load more items" : "Try again"}
        </button>
      )}
      {editing !== null && <EditDialog item={editing} onClose={() => setEditing(null)} />}
      {retracting !== null && <RetractDialog item={retracting} onClose={() => setRetracting(null)} />}
    </section>
  );
}
