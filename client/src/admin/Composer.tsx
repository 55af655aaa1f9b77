import { type FormEvent, type KeyboardEvent, useEffect, useLayoutEffect, useRef, useState } from "react";
import { type Item, itemSchema } from "../../../shared/item";
import { ItemCard } from "../components/ItemCard";
import { useStore } from "../store";
import { adviceFor, adviceFromServer, namesOf } from "./advice";
import { ApiError, useOperatorCall } from "./api";
import { type Draft, idempotencyKeyOf, itemBodyOf, loadDraft, newDraft, saveDraft } from "./draft";
import { EditDialog } from "./EditDialog";
import { focusFirstInvalid, isSubmitShortcut } from "./fields";
import { uploadAdvice, usePictureUpload } from "./ImageField";
import { ItemFields, sourcesOf } from "./ItemFields";

function previewOf(draft: Draft, author: string): Item {
  const now = new Date().toISOString();
  return {
    id: "preview",
    seq: 1,
    version: 1,
    headline: draft.headline.trim() === "" ? "Your headline" : draft.headline.trim(),
    summary: draft.summary.trim(),
    url: draft.url.trim() === "" ? null : draft.url.trim(),
    topics: draft.topics,
    breaking: draft.breaking,
    pinned: draft.pinned,
    status: "published",
    correction: null,
    retractionReason: null,
    source: null,
    publishedAt: now,
    updatedAt: now,
    contentUpdatedAt: null,
    author,
    origin: null,
    urgency: draft.urgency,
    verification: draft.verification === "" ? null : draft.verification,
    keyEvent: draft.keyEvent,
    sources: sourcesOf(draft.sources),
    image:
      draft.image === null
        ? null
        : {
            id: draft.image.id,
            alt: draft.image.alt,
            ...(draft.image.credit.trim() === "" ? {} : { credit: draft.image.credit.trim() }),
            width: draft.image.width,
            height: draft.image.height,
          },
  };
}

/** What the line under the form says after a publish. */
type Outcome =
  | { kind: "published"; item: Item }
  | { kind: "already-published"; item: Item }
  | { kind: "problem"; text: string };

/**
 * The composer: publish with the button or Ctrl+Enter from any field. The draft is this tab's and
 * this operator's and survives a reload; a retry never publishes it twice.
 */
export function Composer() {
  const username = useStore((state) => state.session?.username ?? "");
  const items = useStore((state) => state.view.items);
  const operatorCall = useOperatorCall();
  const [draft, setDraft] = useState<Draft>(() => loadDraft(username));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<Item | null>(null);
  // Counts refused publishes: each one takes focus to the first field that needs the operator.
  const [refusals, setRefusals] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const headlineRef = useRef<HTMLInputElement>(null);

  // Saved as the screen updates, not a frame later: a reload right after a keystroke (or the
  // browser discarding the tab) must find it. Preact, which renders the build, runs plain effects
  // after the next paint.
  useLayoutEffect(() => {
    saveDraft(username, draft);
  }, [username, draft]);

  useEffect(() => {
    if (refusals > 0) focusFirstInvalid(formRef.current);
  }, [refusals]);

  const picture = usePictureUpload((image) => edit({ image }));
  const update = (change: Partial<Draft>) => setDraft((current) => ({ ...current, ...change }));
  /** A field the operator touches again loses its error until the next publish checks it. */
  const edit = (change: Partial<Draft>) => {
    update(change);
    // `image.alt` belongs to `image`.
    setErrors((current) =>
      Object.fromEntries(
        Object.entries(current).filter(([name]) => !((name.split(".")[0] ?? name) in change)),
      ),
    );
  };

  const refuse = (advice: Record<string, string>) => {
    setErrors(advice);
    setOutcome({ kind: "problem", text: `Not published yet: check ${namesOf(advice)} above.` });
    setRefusals((count) => count + 1);
  };

  const publish = async () => {
    if (busy) return;
    setOutcome(null);
    const advice = { ...adviceFor(draft), ...uploadAdvice(picture) };
    if (Object.keys(advice).length > 0) {
      refuse(advice);
      return;
    }
    setBusy(true);
    const key = idempotencyKeyOf(draft);
    // Until an answer comes, nobody knows whether this key made an item: remember it, even across
    // a reload, so the next try asks with the same key.
    update({ unanswered: key });
    try {
      const item = await operatorCall("POST", "/api/items", itemSchema, itemBodyOf(draft), {
        "idempotency-key": key,
      });
      setDraft(newDraft());
      setErrors({});
      setOutcome({ kind: "published", item });
      headlineRef.current?.focus();
    } catch (caught) {
      if (!(caught instanceof ApiError) || caught.status >= 500) {
        const what =
          caught instanceof ApiError
            ? "The server could not confirm this publish"
            : "No answer from the server";
        setOutcome({
          kind: "problem",
          text: `${what}, so it may or may not have gone out. Your draft is kept: publish again, and it will not be published twice.`,
        });
      } else if (caught.code === "idempotency_key_reused") {
        // The first try went out after all. The draft stays for the operator to compare, under a
        // new key: publishing it again is a deliberate second item.
        setDraft((current) => ({ ...current, nonce: crypto.randomUUID(), unanswered: null }));
        setErrors({});
        setOutcome(
          caught.current === undefined
            ? { kind: "problem", text: "Already published: see the list of items." }
            : { kind: "already-published", item: caught.current },
        );
      } else {
        // A refusal is an answer: nothing was published under this key.
        update({ unanswered: null });
        const advice = adviceFromServer(caught.fields);
        if (Object.keys(advice).length > 0) refuse(advice);
        else if (caught.status !== 401)
          setOutcome({ kind: "problem", text: `Not published: ${caught.message}` });
      }
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void publish();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (isSubmitShortcut(event)) {
      event.preventDefault();
      void publish();
    }
  };

  const preview = previewOf(draft, username);
  return (
    // A picture dropped anywhere on the composer, the preview too, is taken, not opened in place of the panel.
    <section
      aria-labelledby="composer-heading"
      className="composer"
      onDragOver={picture.onDragOver}
      onDragLeave={picture.onDragLeave}
      onDrop={picture.onDrop}
    >
      <h2 id="composer-heading">New item</h2>
      <form ref={formRef} onSubmit={onSubmit} onKeyDown={onKeyDown} onPaste={picture.onPaste} noValidate>
        <ItemFields
          idPrefix="composer"
          values={draft}
          onChange={edit}
          errors={errors}
          headlineRef={headlineRef}
          picture={picture}
        />
        <div className="actions">
          {/* aria-disabled, not disabled: a disabled button drops the focus to the page body. */}
          <button type="submit" className="primary" aria-disabled={busy} aria-describedby="composer-shortcut">
            Publish
          </button>
          <span id="composer-shortcut" className="hint">
            or press Ctrl+Enter (⌘+Enter on a Mac)
          </span>
        </div>
        <p role="status" className="composer-message">
          {outcome?.kind === "published" && <>Published “{outcome.item.headline}”.</>}
          {outcome?.kind === "already-published" && (
            <>
              Already published — <a href={`/items/${outcome.item.id}`}>view</a> or{" "}
              <button
                type="button"
                className="link-button"
                onClick={() => setEditing(items.find((item) => item.id === outcome.item.id) ?? outcome.item)}
              >
                edit it
              </button>
              : “{outcome.item.headline}”.
            </>
          )}
          {outcome?.kind === "problem" && outcome.text}
        </p>
      </form>
      {editing !== null && <EditDialog item={editing} onClose={() => setEditing(null)} />}
      <section aria-labelledby="preview-heading" className="preview">
        <h3 id="preview-heading">Preview</h3>
        {draft.breaking && (
          <p className="preview-ticker">
            <span className="badge badge-breaking">Ticker</span> <span dir="auto">{preview.headline}</span>
          </p>
        )}
        <ItemCard item={preview} headingLevel={3} preview />
      </section>
    </section>
  );
}
