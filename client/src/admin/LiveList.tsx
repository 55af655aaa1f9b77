import { useEffect, useMemo, useState } from "react";
import { type Item, itemSchema } from "../../../shared/item";
import { matchesFilter } from "../../../shared/search";
import { fetchItems } from "../api";
import { RelativeTime } from "../components/RelativeTime";
import { useStore } from "../store";
import { ApiError, operatorCall } from "./api";
import { EditDialog } from "./EditDialog";
import { useFullItems } from "./fullItems";
import { RetractDialog } from "./RetractDialog";
import { RetractedText } from "./RetractedText";

const SHOWN = 100;

/** Pins or unpins; a pin is safe to re-apply on top of someone else's change, so a conflict retries once. */
async function setPinned(item: Item, pinned: boolean): Promise<void> {
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

/** Every item, retracted ones too, live; searchable; with Edit, Pin/Unpin and Retract. */
export function LiveList() {
  const items = useStore((state) => state.view.items);
  const operators = useStore((state) => state.operatorsOnline);
  const me = useStore((state) => state.session?.username);
  const mergeItems = useStore((state) => state.mergeItems);
  const [q, setQ] = useState("");
  const [editing, setEditing] = useState<Item | null>(null);
  const [retracting, setRetracting] = useState<Item | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  // The live window leaves retracted items out: read the newest page of everything once.
  useEffect(() => {
    const controller = new AbortController();
    fetchItems({ topics: [], q: "" }, null, controller.signal, "all").then(
      (page) => mergeItems(page.items),
      () => {},
    );
    return () => controller.abort();
  }, [mergeItems]);

  const shown = useFullItems(
    useMemo(() => items.filter((item) => matchesFilter(item, { topics: [], q })).slice(0, SHOWN), [items, q]),
  );

  const pin = (item: Item) => {
    setProblem(null);
    setPinned(item, !item.pinned).catch((caught: unknown) =>
      setProblem(caught instanceof ApiError ? caught.message : "The change could not be saved; try again."),
    );
  };

  return (
    <section aria-labelledby="live-list-heading" className="live-list">
      <h2 id="live-list-heading">Items</h2>
      <input
        type="search"
        aria-label="Search items"
        placeholder="Search items"
        value={q}
        onChange={(event) => setQ(event.target.value)}
      />
      {problem !== null && (
        <p role="alert" className="field-error">
          {problem}
        </p>
      )}
      <ul className="item-rows">
        {shown.map((item) => {
          const editors = operators.filter(
            (operator) => operator.editing === item.id && operator.username !== me,
          );
          return (
            <li key={item.id} className={item.status === "retracted" ? "row retracted" : "row"}>
              <div className="row-text">
                <p className="row-headline">{item.headline}</p>
                <p className="row-meta">
                  {item.status === "retracted" && (
                    <span className="badge badge-retracted">
                      {item.withdrawn === true ? "Withdrawn" : "Retracted"}
                    </span>
                  )}
                  {item.breaking && <span className="badge badge-breaking">Breaking</span>}
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
      {editing !== null && <EditDialog item={editing} onClose={() => setEditing(null)} />}
      {retracting !== null && <RetractDialog item={retracting} onClose={() => setRetracting(null)} />}
    </section>
  );
}
