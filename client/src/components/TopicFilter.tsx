import { FILTER_TOPICS_MAX } from "../../../shared/limits";
import { useStore } from "../store";

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
 * disabled and a polite message says why, rather than a feed that fails to load.
 */
export function TopicFilter() {
  const topics = useStore((state) => state.topics);
  const selected = useStore((state) => state.filter.topics);
  const asked = useStore((state) => state.topicsAsked);
  const toggleTopic = useStore((state) => state.toggleTopic);
  const clearTopics = useStore((state) => state.clearTopics);
  const full = selected.length >= FILTER_TOPICS_MAX;
  return (
    <div className="topic-bar">
      <fieldset className="topic-filter" aria-describedby="topic-limit">
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
