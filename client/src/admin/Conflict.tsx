import { useEffect, useRef, useState } from "react";
import type { Item } from "../../../shared/item";
import { type ItemFieldValues, sourcesText } from "./ItemFields";

export type Fields = ItemFieldValues;
type Key = keyof Fields;
/** Per field both editors changed differently: whose value the operator keeps. */
export type Choices = Partial<Record<Key, "mine" | "theirs">>;

const KEYS: readonly Key[] = [
  "headline",
  "summary",
  "url",
  "topics",
  "breaking",
  "pinned",
  "urgency",
  "verification",
  "keyEvent",
  "sources",
  "image",
];

const LABELS: Record<Key, string> = {
  headline: "Headline",
  summary: "Summary",
  url: "Link",
  topics: "Topics",
  breaking: "Breaking",
  pinned: "Pinned",
  urgency: "Urgency",
  verification: "Verification",
  keyEvent: "Key event",
  sources: "Sources",
  image: "Picture",
};

export function fieldsOf(item: Item): Fields {
  return {
    headline: item.headline,
    summary: item.summary,
    url: item.url ?? "",
    topics: [...item.topics],
    breaking: item.breaking,
    pinned: item.pinned,
    urgency: item.urgency,
    verification: item.verification ?? "",
    keyEvent: item.keyEvent,
    sources: sourcesText(item.sources),
    image:
      item.image === null
        ? null
        : {
            id: item.image.id,
            width: item.image.width,
            height: item.image.height,
            alt: item.image.alt,
            credit: item.image.credit ?? "",
          },
  };
}

function same(a: Fields[Key], b: Fields[Key]): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.join() === b.join();
  // A picture is the same when its id, alt text and credit are.
  if (typeof a === "object" || typeof b === "object") return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

/** What changed from `base` to `draft`, field by field. */
export function changesOf(base: Fields, draft: Fields): Partial<Fields> {
  const changes: Partial<Fields> = {};
  for (const key of KEYS) {
    if (!same(base[key], draft[key])) Object.assign(changes, { [key]: draft[key] });
  }
  return changes;
}

/** The fields both editors changed from `base`, to different values: the operator must choose. */
export function clashesOf(base: Fields, mine: Fields, theirs: Fields): Key[] {
  return KEYS.filter(
    (key) => !same(base[key], mine[key]) && !same(base[key], theirs[key]) && !same(mine[key], theirs[key]),
  );
}

/** Their version, with my changes on top where they did not touch the field or I chose mine. */
export function mergeOnTop(base: Fields, mine: Fields, theirs: Fields, choices: Choices): Fields {
  const clashes = clashesOf(base, mine, theirs);
  const merged = { ...theirs };
  for (const key of KEYS) {
    const changedByMe = !same(base[key], mine[key]);
    const keepMine = !clashes.includes(key) || choices[key] === "mine";
    if (changedByMe && keepMine) Object.assign(merged, { [key]: mine[key] });
  }
  return merged;
}

function show(value: Fields[Key]): string {
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) return value.join(", ");
  if (value === null) return "(none)";
  if (typeof value === "object")
    return `picture: “${value.alt}”${value.credit === "" ? "" : `, ${value.credit}`}`;
  return value === "" ? "(empty)" : value;
}

/**
 * Someone else's version beside the operator's changes. Fields both changed are marked, and the
 * operator picks mine or theirs for each before "Apply my changes on top" sends the rest.
 */
export function ConflictPanel({
  base,
  draft,
  current,
  choices,
  onChoose,
  busy,
  onApply,
  onDiscard,
}: {
  base: Fields;
  draft: Fields;
  current: Item;
  choices: Choices;
  onChoose: (choice: Choices) => void;
  busy: boolean;
  onApply: () => void;
  onDiscard: () => void;
}) {
  const theirs = fieldsOf(current);
  const mine = changesOf(base, draft);
  const clashes = clashesOf(base, draft, theirs);
  const unresolved = clashes.filter((key) => choices[key] === undefined);
  const [askedToChoose, setAskedToChoose] = useState(false);
  const panel = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  // Someone else's version just arrived: take the operator there, and a screen reader with them.
  useEffect(() => heading.current?.focus(), []);

  const apply = () => {
    if (busy) return;
    if (unresolved.length > 0) {
      setAskedToChoose(true);
      const first = panel.current?.querySelector('fieldset[data-unresolved="true"] input');
      if (first instanceof HTMLElement) first.focus();
      return;
    }
    onApply();
  };

  return (
    <section ref={panel} aria-labelledby="conflict-heading" className="conflict">
      <h3 id="conflict-heading" tabIndex={-1} ref={heading}>
        {current.author} changed this item while you were editing
      </h3>
      <div className="conflict-columns">
        <div>
          <h4>Their version (now version {current.version})</h4>
          <dl>
            {KEYS.map((key) => (
              <div key={key}>
                <dt>
                  {LABELS[key]}
                  {clashes.includes(key) && <span className="badge badge-clash">You both changed it</span>}
                </dt>
                <dd>{show(theirs[key])}</dd>
              </div>
            ))}
          </dl>
        </div>
        <div>
          <h4>Your changes</h4>
          <dl>
            {Object.keys(mine).length === 0 && <dd>None besides the correction note.</dd>}
            {KEYS.filter((key) => key in mine).map((key) => (
              <div key={key}>
                <dt>
                  {LABELS[key]}
                  {clashes.includes(key) && <span className="badge badge-clash">You both changed it</span>}
                </dt>
                <dd>{show(draft[key])}</dd>
              </div>
            ))}
          </dl>
        </div>
      </div>
      {clashes.map((key) => (
        <fieldset
          key={key}
          className="field clash"
          data-unresolved={choices[key] === undefined ? "true" : undefined}
          aria-describedby={askedToChoose && choices[key] === undefined ? "clash-problem" : undefined}
        >
          <legend>{LABELS[key]}: you both changed it. Keep which?</legend>
          <label className="check">
            <input
              type="radio"
              name={`clash-${key}`}
              checked={choices[key] === "mine"}
              onChange={() => onChoose({ [key]: "mine" })}
            />
            Mine: {show(draft[key])}
          </label>
          <label className="check">
            <input
              type="radio"
              name={`clash-${key}`}
              checked={choices[key] === "theirs"}
              onChange={() => onChoose({ [key]: "theirs" })}
            />
            Theirs: {show(theirs[key])}
          </label>
        </fieldset>
      ))}
      {askedToChoose && unresolved.length > 0 && (
        <p id="clash-problem" role="alert" className="field-error">
          Choose mine or theirs for {unresolved.map((key) => LABELS[key].toLowerCase()).join(" and ")} first.
        </p>
      )}
      <div className="actions">
        <button type="button" className="primary" aria-disabled={busy} onClick={apply}>
          Apply my changes on top
        </button>
        <button type="button" onClick={onDiscard}>
          Discard my changes
        </button>
      </div>
    </section>
  );
}
