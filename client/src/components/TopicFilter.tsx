import { useEffect, useRef } from "react";
import { FILTER_TOPICS_MAX } from "../../../shared/limits";
import { useStore } from "../store";

/** The room left before a chosen topic the row scrolls into sight. */
const CHOSEN_TOPIC_MARGIN_PX = 48;

/** What the topic bar says about the filter's limit, or nothing while the reader is within it. */
function limitMessage(chosen: number, asked: number): string {
  if (asked > 0)
    return `The address named ${asked} topics; a filter holds at most ${FILTER_TOPICS_MAX}, so the first ${FILTER_TOPICS_MAX} are shown.`;
  if (chosen >= FILTER_TOPICS_MAX)
    return `${FILTER_TOPICS_MAX} topics chosen, the most a filter holds: unselect one to choose another.`;
  return "";
}

/**
 * Toggle buttons, one per topic; several pressed means any of them. "All topics" clears them.
 * The server's filter takes at most FILTER_TOPICS_MAX topics: at the limit the other topics are
 * disabled and a polite message says why, rather than a feed that fails to load. The buttons are
 * one row that scrolls sideways; a page opened on a topic far along it scrolls the row to show it.
 */
export function TopicFilter() {
  const topics = useStore((state) => state.topics);
  const selected = useStore((state) => state.filter.topics);
  const asked = useStore((state) => state.topicsAsked);
  const toggleTopic = useStore((state) => state.toggleTopic);
  const clearTopics = useStore((state) => state.clearTopics);
  const full = selected.length >= FILTER_TOPICS_MAX;
  const row = useRef<HTMLFieldSetElement>(null);
  const shown = useRef(false);
  // Once, when the topics first come: after that the row stays where the reader scrolls it.
  useEffect(() => {
    const fieldset = row.current;
    if (shown.current || fieldset === null || topics.length === 0) return;
    shown.current = true;
    const chosen = fieldset.querySelector('button[aria-pressed="true"]');
    if (chosen === null) return;
    const start = chosen.getBoundingClientRect().left - fieldset.getBoundingClientRect().left;
    if (start < 0 || start + chosen.clientWidth > fieldset.clientWidth)
      fieldset.scrollLeft += start - CHOSEN_TOPIC_MARGIN_PX;
  }, [topics]);
  return (
    <div className="topic-bar">
      <fieldset ref={row} className="topic-filter" aria-describedby="topic-limit">
        <legend className="sr-only">Topics</legend>
        <button type="button" aria-pressed={selected.length === 0} onClick={clearTopics}>
          All topics
        </button>
        {topics.map((topic) => {
          const pressed = selected.includes(topic.slug);
          return (
            <button
              key={topic.slug}
              type="button"
              aria-pressed={pressed}
              disabled={full && !pressed}
              onClick={() => toggleTopic(topic.slug)}
            >
              {topic.name}
            </button>
          );
        })}
      </fieldset>
      {/* Always in the page, so that a screen reader hears the message when it appears. */}
      <p id="topic-limit" className="topic-limit" aria-live="polite">
        {limitMessage(selected.length, asked)}
      </p>
    </div>
  );
}
