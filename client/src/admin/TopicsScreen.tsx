import { type FormEvent, useState } from "react";
import { topicSchema } from "../../../shared/item";
import { fetchTopics } from "../api";
import { useStore } from "../store";
import { ApiError, operatorCall } from "./api";
import { Field, fieldError } from "./fields";
import { useRevealTarget } from "./useRevealTarget";

function TopicRow({ slug, name }: { slug: string; name: string }) {
  const [value, setValue] = useState(name);
  const [message, setMessage] = useState<string | null>(null);
  const rename = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await operatorCall("PATCH", `/api/topics/${slug}`, topicSchema, { name: value });
      useStore.getState().setTopics(await fetchTopics());
      setMessage("Renamed.");
    } catch (caught) {
      setMessage(caught instanceof ApiError ? caught.message : "Could not rename; try again.");
    }
  };
  return (
    <li>
      <form onSubmit={rename} className="inline-form">
        <label htmlFor={`topic-${slug}`}>
          Name of <code>{slug}</code>
        </label>
        <input id={`topic-${slug}`} value={value} onChange={(event) => setValue(event.target.value)} />
        <button type="submit">
          Rename<span className="sr-only"> {slug}</span>
        </button>
        <span role="status">{message}</span>
      </form>
    </li>
  );
}

/** Topics: add one, rename one. Slugs never change, since readers' links carry them. */
export function TopicsScreen() {
  const topics = useStore((state) => state.topics);
  useRevealTarget(topics.length > 0);
  const [slug, setSlug] = useState("");
  const [name, setName] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await operatorCall("POST", "/api/topics", topicSchema, { slug, name });
      useStore.getState().setTopics(await fetchTopics());
      setMessage(`Added topic ${name}.`);
      setErrors({});
      setSlug("");
      setName("");
    } catch (caught) {
      if (caught instanceof ApiError) {
        setErrors(caught.fields);
        setMessage(caught.message);
      }
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
      <form onSubmit={add} noValidate>
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
              onChange={(event) => setSlug(event.target.value)}
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
              onChange={(event) => setName(event.target.value)}
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
