import { type FormEvent, useMemo, useState } from "react";
import {
  describeProblem,
  describeProblems,
  importResultSchema,
  parsePlainText,
  sentenceEnd,
} from "../../../shared/import";
import type { Advice } from "./advice";
import { adviceFromServer, namesOf } from "./advice";
import { ApiError, useOperatorCall } from "./api";
import { Field, fieldError, TopicChoice } from "./fields";
import { useFieldErrors } from "./useFieldErrors";

/** Items in words: "1 item", "20 items". */
function items(count: number): string {
  return `${count} item${count === 1 ? "" : "s"}`;
}

/** What the operator reads under the text while writing or pasting it, before anything is sent. */
function readingOf(text: string): string {
  if (text.trim() === "") return "Nothing pasted yet.";
  const parse = parsePlainText(text);
  if (!parse.ok) {
    const [first] = parse.problems;
    return sentenceEnd(`Cannot be imported yet${first === undefined ? "" : `: ${describeProblem(first)}`}`);
  }
  const title = parse.title === null ? "" : ` under the title “${parse.title}”`;
  return `Reads as ${items(parse.blocks.length)}${title}.`;
}

/** The problems of a text the server (or this page) refused, in the import's own words. */
const IMPORT_WORDS = {
  topics: () => "Choose at least one topic, each one that exists.",
};

/**
 * Import: plain text in the seed's format (a headline line, a blank line, its summary, repeated,
 * newest first) becomes items on the topics chosen. Blocks imported before are skipped, so the
 * same page can be pasted again as it grows.
 */
export function ImportScreen() {
  const operatorCall = useOperatorCall();
  const [text, setText] = useState("");
  const [topics, setTopics] = useState<string[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const { errors, formRef, refuse, clear, touch } = useFieldErrors();
  const reading = useMemo(() => readingOf(text), [text]);

  const refused = (advice: Advice) => {
    refuse(advice);
    setMessage(`Nothing imported: check ${namesOf(advice)} above.`);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (sending) return;
    const advice: Advice = {};
    const parse = parsePlainText(text);
    if (!parse.ok) advice.text = describeProblems(parse.problems);
    if (topics.length === 0) advice.topics = "Choose at least one topic.";
    if (Object.keys(advice).length > 0) {
      refused(advice);
      return;
    }
    setSending(true);
    setMessage("Importing…");
    try {
      const { created, skipped } = await operatorCall("POST", "/api/import", importResultSchema, {
        text,
        topics,
      });
      clear();
      setText("");
      setMessage(
        `Imported: ${items(created)} added to the timeline${skipped > 0 ? `, ${items(skipped)} already there` : ""}.`,
      );
    } catch (caught) {
      if (!(caught instanceof ApiError))
        setMessage("The server could not be reached; nothing was imported. Try again.");
      else if (Object.keys(caught.fields).length > 0) {
        const { text: textProblem, ...others } = caught.fields;
        refused({
          ...(textProblem === undefined ? {} : { text: textProblem }),
          ...adviceFromServer(others, IMPORT_WORDS),
        });
      } else setMessage(caught.message);
    } finally {
      setSending(false);
    }
  };

  return (
    <section aria-labelledby="import-heading">
      <h2 id="import-heading">Import</h2>
      <p>
        Paste a page of news as plain text: a headline line, a blank line, its summary, and so on, the newest
        first. A lone first line such as “Latest news” is the page's title, not an item. What was imported
        before is skipped.
      </p>
      <form ref={formRef} onSubmit={submit} noValidate>
        <Field id="import-text" label="Text" error={fieldError(errors, "text")} hint={reading}>
          {(describedBy, invalid) => (
            <textarea
              id="import-text"
              rows={12}
              dir="auto"
              value={text}
              onChange={(event) => {
                setText(event.target.value);
                touch("text");
              }}
              aria-describedby={describedBy}
              aria-invalid={invalid}
            />
          )}
        </Field>
        <TopicChoice
          idPrefix="import"
          selected={topics}
          onChange={(chosen) => {
            setTopics(chosen);
            touch("topics");
          }}
          error={fieldError(errors, "topics")}
        />
        <button type="submit" className="primary" aria-disabled={sending}>
          Import
        </button>
        <p role="status">{message}</p>
      </form>
    </section>
  );
}
