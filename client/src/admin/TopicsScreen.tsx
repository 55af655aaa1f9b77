import { type FormEvent, useState } from "react";
import { topicSchema } from "../../../shared/item";
import { createTopicSchema, renameTopicSchema } from "../../../shared/requests";
import { fetchTopics } from "../api";
import { useStore } from "../store";
import { adviceBySchema, adviceFromServer, namesOf, TOPIC_WORDS } from "./advice";
import { ApiError, useOperatorCall } from "./api";
import { Field, fieldError } from "./fields";
import { useFieldErrors } from "./useFieldErrors";
import { useRevealTarget } from "./useRevealTarget";

/** What an answer that refused a topic means for the form: its fields' errors, or a message. */
function refusalOf(caught: unknown): { advice: Record<string, string>; message: string } {
  if (!(caught instanceof ApiError))
    return { advice: {}, message: "The server could not be reached; try again." };
  return { advice: adviceFromServer(caught.fields, TOPIC_WORDS), message: caught.message };
}

function TopicRow({ slug, name }: { slug: string; name: string }) {
  const [value, setValue] = useState(name);
  const [message, setMessage] = useState<string | null>(null);
  const { errors, formRef, refuse, touch } = useFieldErrors();
  const setTopics = useStore((state) => state.setTopics);
  const operatorCall = useOperatorCall();
  const error = fieldError(errors, "name");
  const rename = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    const advice = adviceBySchema(renameTopicSchema, { name: value }, TOPIC_WORDS);
    if (Object.keys(advice).length > 0) {
      refuse(advice);
      return;
    }
    try {
      await operatorCall("PATCH", `/api/topics/${slug}`, topicSchema, { name: value });
      setTopics(await fetchTopics());
      setMessage("Renamed.");
    } catch (caught) {
      const refusal = refusalOf(caught);
      if (Object.keys(refusal.advice).length > 0) refuse(refusal.advice);
      else setMessage(refusal.message);
    }
  };
  return (
    <li>
      <form ref={formRef} onSubmit={rename} className="inline-form" noValidate>
        <label htmlFor={`topic-${slug}`}>
          Name of <code>{slug}</code>
        </label>
        <input
          id={`topic-${slug}`}
          value={value}
          onChange={(event) => {
            setValue(event.target.value);
            touch("name");
          }}
          aria-invalid={error !== undefined}
          aria-describedby={error === undefined ? undefined : `topic-${slug}-error`}
        />
        <button type="submit">
          Rename<span className="sr-only"> {slug}</span>
        </button>
        <span role="status">{message}</span>
        {error !== undefined && (
          <p id={`topic-${slug}-error`} className="field-error">
            {error}
          </p>
        )}
      </form>
    </li>
  );
}

/** Topics: add one, rename one. Slugs never change, since readers' links carry them. */
export function TopicsScreen() {
  const topics = useStore((state) => state.topics);
  const setTopics = useStore((state) => state.setTopics);
  const operatorCall = useOperatorCall();
  useRevealTarget(topics.length > 0);
  const [slug, setSlug] = useState("");
  const [name, setName] = useState("");
  const { errors, formRef, refuse, clear, touch } = useFieldErrors();
  const [message, setMessage] = useState<string | null>(null);

  const refused = (advice: Record<string, string>) => {
    refuse(advice);
    setMessage(`Not added yet: check ${namesOf(advice)} above.`);
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const advice = adviceBySchema(createTopicSchema, { slug, name }, TOPIC_WORDS);
    if (Object.keys(advice).length > 0) {
      refused(advice);
      return;
    }
    try {
      await operatorCall("POST", "/api/topics", topicSchema, { slug, name });
      setTopics(await fetchTopics());
      setMessage(`Added topic ${name}.`);
      clear();
      setSlug("");
      setName("");
    } catch (caught) {
      const refusal = refusalOf(caught);
      if (Object.keys(refusal.advice).length > 0) refused(refusal.advice);
      else setMessage(refusal.message);
    }
  };

  return (
    <section aria-labelledby="topics-heading">
      <h2 id="topics-heading">Topics</h2>
      <ul className="plain-list">
        {topics.map((topic) => (
          <TopicRow key={topic.slug} {...topic} />
        ))}
      </ul>
      <h3>Add a topic</h3>
      <form ref={formRef} onSubmit={add} noValidate>
        <Field
          id="topic-slug"
          label="Slug"
          error={fieldError(errors, "slug")}
          hint="Lower-case letters and digits joined by hyphens, e.g. world-cup."
        >
          {(describedBy, invalid) => (
            <input
              id="topic-slug"
              value={slug}
              onChange={(event) => {
                setSlug(event.target.value);
                touch("slug");
              }}
              aria-describedby={describedBy}
              aria-invalid={invalid}
            />
          )}
        </Field>
        <Field id="topic-name" label="Name" error={fieldError(errors, "name")}>
          {(describedBy, invalid) => (
            <input
              id="topic-name"
              value={name}
              onChange={(event) => {
                setName(event.target.value);
                touch("name");
              }}
              aria-describedby={describedBy}
              aria-invalid={invalid}
            />
          )}
        </Field>
        <button type="submit" className="primary">
          Add topic
        </button>
        <p role="status">{message}</p>
      </form>
    </section>
  );
}
