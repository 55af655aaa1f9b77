import { useStore } from "../store";

/** Toggle buttons, one per topic; several pressed means any of them. "All topics" clears them. */
export function TopicFilter() {
  const topics = useStore((state) => state.topics);
  const selected = useStore((state) => state.filter.topics);
  const toggleTopic = useStore((state) => state.toggleTopic);
  const clearTopics = useStore((state) => state.clearTopics);
  return (
    <fieldset className="topic-filter">
      <legend className="sr-only">Topics</legend>
      <button type="button" aria-pressed={selected.length === 0} onClick={clearTopics}>
        All topics
      </button>
      {topics.map((topic) => (
        <button
          key={topic.slug}
          type="button"
          aria-pressed={selected.includes(topic.slug)}
          onClick={() => toggleTopic(topic.slug)}
        >
          {topic.name}
        </button>
      ))}
    </fieldset>
  );
}
