import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from "react";
import { z } from "zod";
import { type Item, itemSchema } from "../../../shared/item";
import { ItemCard } from "../components/ItemCard";
import { useStore } from "../store";
import { ApiError, operatorCall } from "./api";
import { isSubmitShortcut } from "./fields";
import { ItemFields } from "./ItemFields";

const draftSchema = z.object({
  /** The Idempotency-Key of this draft: a double click or a retry can never publish it twice. */
  key: z.string().min(1),
  headline: z.string(),
  summary: z.string(),
  url: z.string(),
  topics: z.array(z.string()),
  breaking: z.boolean(),
  pinned: z.boolean(),
});
type Draft = z.infer<typeof draftSchema>;

const DRAFT_KEY = "livedesk:draft:v1";

function newDraft(): Draft {
  return {
    key: crypto.randomUUID(),
    headline: "",
    summary: "",
    url: "",
    topics: [],
    breaking: false,
    pinned: false,
  };
}

function loadDraft(): Draft {
  try {
    const raw = window.localStorage.getItem(DRAFT_KEY);
    const saved = raw === null ? null : draftSchema.safeParse(JSON.parse(raw));
    if (saved?.success) return saved.data;
  } catch {
    // A draft that cannot be read is lost; a fresh one starts.
  }
  return newDraft();
}

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
    author,
  };
}

/** The composer: publish with the button or Ctrl+Enter from any field; the draft survives a reload. */
export function Composer() {
  const username = useStore((state) => state.session?.username ?? "");
  const [draft, setDraft] = useState<Draft>(loadDraft);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const headlineRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    window.localStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
  }, [draft]);

  const update = (change: Partial<Draft>) => setDraft((current) => ({ ...current, ...change }));

  const publish = async () => {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    try {
      const item = await operatorCall(
        "POST",
        "/api/items",
        itemSchema,
        {
          headline: draft.headline,
          summary: draft.summary,
          url: draft.url,
          topics: draft.topics,
          breaking: draft.breaking,
          pinned: draft.pinned,
        },
        { "idempotency-key": draft.key },
      );
      setDraft(newDraft());
      setErrors({});
      setMessage(`Published “${item.headline}”.`);
      headlineRef.current?.focus();
    } catch (caught) {
      if (caught instanceof ApiError) {
        setErrors(caught.fields);
        setMessage(caught.status === 401 ? null : `Not published: ${caught.message}`);
      } else {
        setMessage("Not published: the server could not be reached. Your draft is kept; try again.");
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
    <section aria-labelledby="composer-heading" className="composer">
      <h2 id="composer-heading">New item</h2>
      <form onSubmit={onSubmit} onKeyDown={onKeyDown} noValidate>
        <ItemFields
          idPrefix="composer"
          values={draft}
          onChange={update}
          errors={errors}
          headlineRef={headlineRef}
        />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy} aria-describedby="composer-shortcut">
            Publish
          </button>
          <span id="composer-shortcut" className="hint">
            or press Ctrl+Enter (⌘+Enter on a Mac)
          </span>
        </div>
        <p role="status" className="composer-message">
          {message}
        </p>
      </form>
      <section aria-labelledby="preview-heading" className="preview">
        <h3 id="preview-heading">Preview</h3>
        {draft.breaking && (
          <p className="preview-ticker">
            <span className="badge badge-breaking">Ticker</span> {preview.headline}
          </p>
        )}
        <ItemCard item={preview} headingLevel={3} preview />
      </section>
    </section>
  );
}
