import { useEffect, useState } from "react";
import { Link } from "wouter";
import { type Item, urgencyGrade, VERIFICATION_LABELS } from "../../../shared/item";
import { fetchItem, fetchRevisions, NotFoundError } from "../api";
import { ConnectionStatus } from "../components/ConnectionStatus";
import { CopyLink } from "../components/CopyLink";
import { SourceLink, TopicList } from "../components/ItemCard";
import { ItemPicture } from "../components/ItemPicture";
import { formatExact, RelativeTime } from "../components/RelativeTime";
import { isWithdrawn, RetractionBadge, RetractionNotice } from "../components/RetractionNotice";
import { ItemSources, UrgencyBadge, VerificationBadge } from "../components/Signals";
import { UpdatedMark } from "../components/UpdatedMark";
import { useStore } from "../store";

/** What one revision changed compared with the one before, in words. */
/** "Confirmed at 14:32 by …": a change of verification is an edit of its own kind, said with its time and who. */
function verificationLine(after: Item): string {
  const when = formatExact(after.updatedAt);
  return after.verification === null
    ? `Verification cleared at ${when} by ${after.author}.`
    : `${VERIFICATION_LABELS[after.verification]} at ${when} by ${after.author}.`;
}

export function describeChange(before: Item | undefined, after: Item): string[] {
  if (before === undefined) return ["Published."];
  const changes: string[] = [];
  if (after.status === "retracted" && before.status !== "retracted") {
    changes.push(
      `${isWithdrawn(after) ? "Withdrawn" : "Retracted"}: ${after.retractionReason ?? "no reason given"}`,
    );
    return changes;
  }
  if (after.headline !== before.headline)
    changes.push(`Headline changed from “${before.headline}” to “${after.headline}”.`);
  if (after.summary !== before.summary) changes.push("Summary edited.");
  if (after.url !== before.url) changes.push(after.url === null ? "Link removed." : "Link changed.");
  if (after.topics.join() !== before.topics.join()) changes.push(`Topics now ${after.topics.join(", ")}.`);
  if (after.verification !== before.verification) changes.push(verificationLine(after));
  if (after.urgency !== before.urgency) {
    const grade = urgencyGrade(after.urgency);
    changes.push(grade === null ? "No longer breaking." : `Marked ${grade.toLowerCase()}.`);
  }
  if (after.keyEvent !== before.keyEvent)
    changes.push(after.keyEvent ? "Marked a key event." : "No longer a key event.");
  if (JSON.stringify(after.sources) !== JSON.stringify(before.sources)) changes.push("Sources changed.");
  if (JSON.stringify(after.image) !== JSON.stringify(before.image))
    changes.push(
      after.image === null
        ? "Picture removed."
        : before.image === null
          ? "Picture added."
          : "Picture changed.",
    );
  if (after.pinned !== before.pinned) changes.push(after.pinned ? "Pinned." : "Unpinned.");
  if (after.publishedAt !== before.publishedAt) changes.push("Publication time changed.");
  if (after.source !== before.source) changes.push("Source changed.");
  if (after.correction !== null && after.correction !== before.correction)
    changes.push(`Correction: ${after.correction}`);
  return changes.length > 0 ? changes : ["Edited."];
}

/** `/items/:id`: the item as it stands, live, and every revision with what it changed. */
export function ItemPage({ id }: { id: string }) {
  const live = useStore((state) => state.view.items.find((item) => item.id === id));
  const [item, setItem] = useState<Item | null>(null);
  const [revisions, setRevisions] = useState<Item[]>([]);
  const [problem, setProblem] = useState<"not_found" | "failed" | null>(null);
  const liveVersion = live?.version ?? 0;

  // Opened from a feed scrolled far down, the item starts at its top (the feed keeps its own place).
  // biome-ignore lint/correctness/useExhaustiveDependencies: each new item starts at the top
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [id]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a newer live version means new revisions to fetch
  useEffect(() => {
    const controller = new AbortController();
    Promise.all([fetchItem(id, controller.signal), fetchRevisions(id, controller.signal)]).then(
      ([fetched, history]) => {
        setItem(fetched);
        setRevisions(history);
        setProblem(null);
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setProblem(error instanceof NotFoundError ? "not_found" : "failed");
      },
    );
    return () => controller.abort();
  }, [id, liveVersion]);

  const shown = live !== undefined && (item === null || live.version > item.version) ? live : item;

  useEffect(() => {
    document.title = shown === null ? "livedesk" : `${shown.headline} — livedesk`;
  }, [shown]);

  return (
    <>
      <main className="page permalink">
        <p>
          <Link href="/">← All news</Link>
        </p>
        {problem === "not_found" && <h1>No item has this address.</h1>}
        {problem === "failed" && shown === null && (
          <p role="alert">The item could not be loaded. Check the connection and reload.</p>
        )}
        {/* Offline, an item of the window this device kept still shows; only its history waits. */}
        {problem === "failed" && shown !== null && <p>Its revision history could not be loaded.</p>}
        {shown === null && problem === null && <p>Loading…</p>}
        {shown !== null && (
          <article
            aria-labelledby="item-headline"
            className={
              shown.status === "published"
                ? "item"
                : isWithdrawn(shown)
                  ? "item tombstone withdrawn"
                  : "item tombstone"
            }
          >
            <div className="badges">
              <UrgencyBadge item={shown} />
              <VerificationBadge item={shown} />
              {shown.status === "retracted" && <RetractionBadge item={shown} />}
              <UpdatedMark item={shown} />
            </div>
            <h1 id="item-headline" className="headline" dir="auto">
              {shown.headline}
            </h1>
            {shown.status === "retracted" && <RetractionNotice item={shown} />}
            {shown.status === "published" && <ItemPicture image={shown.image} eager />}
            {shown.status === "published" && shown.summary !== "" && (
              <p className="summary" dir="auto">
                {shown.summary}
              </p>
            )}
            {shown.status === "published" && shown.correction !== null && (
              <p className="correction">
                <strong>Correction:</strong> <span dir="auto">{shown.correction}</span>
              </p>
            )}
            <ItemSources item={shown} />
            <div className="meta">
              <RelativeTime iso={shown.publishedAt} />
              {shown.source !== null && (
                <span className="source" dir="auto">
                  {shown.source}
                </span>
              )}
              <span>by {shown.author}</span>
              <TopicList topics={shown.topics} />
              {shown.status === "published" && <SourceLink url={shown.url} />}
              {shown.status === "published" && <CopyLink item={shown} />}
            </div>
          </article>
        )}
        {revisions.length > 0 && (
          <section aria-labelledby="history-heading" className="history">
            <h2 id="history-heading">Revision history</h2>
            <ol>
              {revisions.map((revision, i) => (
                <li key={revision.version}>
                  <p className="history-when">
                    Version {revision.version} ·{" "}
                    <time dateTime={revision.updatedAt}>{formatExact(revision.updatedAt)}</time> ·{" "}
                    {revision.author}
                  </p>
                  <ul>
                    {describeChange(revisions[i - 1], revision).map((line) => (
                      <li key={line}>
                        <bdi>{line}</bdi>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
          </section>
        )}
      </main>
      {/* The item follows its edits live: the reader sees whether it still does, as on the dashboard. */}
      <ConnectionStatus />
    </>
  );
}
