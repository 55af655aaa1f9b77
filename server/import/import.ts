import { createHash } from "node:crypto";
import {
  describeProblem,
  describeProblems,
  type ImportResult,
  type PlainTextBlock,
  parsePlainText,
  sentenceEnd,
} from "../../shared/import";
import type { Author, Timeline } from "../timeline/timeline";
import { TimelineError } from "../timeline/timeline";

/**
 * The identity of an imported block: a hash of its headline and summary as imported. The same
 * block imported again, by anyone, with any topics, is the item it made the first time.
 */
export function blockIdentity(block: Pick<PlainTextBlock, "headline" | "summary">): string {
  const hash = createHash("sha256").update(`${block.headline}\n${block.summary}`).digest("base64url");
  return `plain-text:${hash}`;
}

/**
 * Imports plain text in the seed's format (shared/import.ts) as items carrying `topics`. Nothing is
 * created unless the whole text reads well. The first block is the newest: each block is published
 * a millisecond before the one above it, oldest first, so the timeline shows them in the text's
 * order and readers see them arrive in it. A block imported before is skipped; so a retry after a
 * failure part way creates only what is missing.
 */
export async function importPlainText(
  timeline: Timeline,
  text: string,
  topics: string[],
  author: Author,
  now: Date = new Date(),
): Promise<ImportResult> {
  const parsed = parsePlainText(text);
  if (!parsed.ok) {
    const [first] = parsed.problems;
    const what = first === undefined ? "" : `: ${describeProblem(first)}`;
    throw new TimelineError("invalid_input", sentenceEnd(`The text cannot be imported${what}`), {
      fields: { text: describeProblems(parsed.problems) },
    });
  }
  let created = 0;
  let skipped = 0;
  const newestFirst = parsed.blocks.map((block, i) => ({
    block,
    publishedAt: new Date(now.getTime() - i).toISOString(),
  }));
  for (const { block, publishedAt } of newestFirst.reverse()) {
    const { replayed } = await timeline.publishOnce(
      {
        headline: block.headline,
        summary: block.summary,
        url: null,
        topics,
        breaking: false,
        pinned: false,
        publishedAt,
        source: null,
      },
      author,
      blockIdentity(block),
    );
    if (replayed) skipped += 1;
    else created += 1;
  }
  return { created, skipped };
}
