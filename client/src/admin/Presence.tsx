import { useEffect, useState } from "react";
import { useStore } from "../store";
import { useOperatorCall } from "./api";
import { fetchFullItem } from "./fullItems";

/**
 * Headlines of the items other operators edit. The browser holds only the newest items; one
 * found by searching far back is read from the server once (in full: an operator edits what is
 * stored, even of a retracted item), so the panel names it instead of saying "an item".
 */
function useEditedHeadlines(ids: readonly string[]): ReadonlyMap<string, string> {
  const items = useStore((state) => state.view.items);
  const [read, setRead] = useState<ReadonlyMap<string, string>>(new Map());
  const operatorCall = useOperatorCall();
  const missing = ids.filter((id) => !read.has(id) && !items.some((item) => item.id === id));
  const key = missing.join(",");
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names exactly the items to read
  useEffect(() => {
    let current = true;
    for (const id of missing) {
      fetchFullItem(operatorCall, id).then(
        (item) => {
          if (current) setRead((known) => new Map(known).set(item.id, item.headline));
        },
        // The item may be gone or the session ended: the line keeps saying "an item".
        () => {},
      );
    }
    return () => {
      current = false;
    };
  }, [key]);
  const headlines = new Map(read);
  for (const item of items) if (ids.includes(item.id)) headlines.set(item.id, item.headline);
  return headlines;
}

/** Who else is in the panel and what they edit, and how many readers are connected. */
export function Presence() {
  const operators = useStore((state) => state.operatorsOnline);
  const viewers = useStore((state) => state.viewers);
  const headlines = useEditedHeadlines(
    operators.flatMap((operator) => (operator.editing === null ? [] : [operator.editing])),
  );
  return (
    <section aria-labelledby="presence-heading" className="presence">
      <h2 id="presence-heading" className="sr-only">
        Who is here
      </h2>
      <p>
        {viewers ?? 0} {viewers === 1 ? "reader" : "readers"} connected
      </p>
      <ul aria-label="Operators in the panel">
        {operators.map((operator) => (
          <li key={operator.username}>
            {operator.username}
            {operator.editing !== null && <> — editing “{headlines.get(operator.editing) ?? "an item"}”</>}
          </li>
        ))}
      </ul>
    </section>
  );
}
