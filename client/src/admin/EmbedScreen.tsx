import { useState } from "react";
import {
  EMBED_LIMIT_DEFAULT,
  EMBED_LIMIT_MAX,
  type EmbedKind,
  type EmbedOptions,
  type EmbedTheme,
  embedSnippet,
  embedUrl,
} from "../../../shared/embeds";
import { useStore } from "../store";

/**
 * The snippet a partner site pastes to show the desk's ticker or feed: chosen here, copied with a
 * click. Which sites may show it is the server's LIVEDESK_FRAME_ANCESTORS (docs/embeds.md).
 */
export function EmbedScreen() {
  const topics = useStore((state) => state.topics);
  const [kind, setKind] = useState<EmbedKind>("ticker");
  const [chosen, setChosen] = useState<string[]>([]);
  const [limit, setLimit] = useState(String(EMBED_LIMIT_DEFAULT.ticker));
  const [theme, setTheme] = useState<EmbedTheme>("auto");
  const [compact, setCompact] = useState(false);
  const [copied, setCopied] = useState<string | null>(null);

  const count = Number(limit);
  const limitOk = /^\d+$/.test(limit) && count >= 1 && count <= EMBED_LIMIT_MAX;
  const options: EmbedOptions = {
    kind,
    topics: chosen,
    limit: limitOk ? count : EMBED_LIMIT_DEFAULT[kind],
    theme,
    compact,
  };
  const origin = window.location.origin;
  const snippet = embedSnippet(origin, options);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(snippet);
      setCopied("Snippet copied.");
    } catch {
      setCopied("Could not copy: select the snippet and copy it yourself.");
    }
  };

  return (
    <section aria-labelledby="embed-title">
      <h2 id="embed-title">Embed on a partner site</h2>
      <p>
        Partner sites show the live ticker or feed by pasting this snippet. Their address must be in the
        server's <code>LIVEDESK_FRAME_ANCESTORS</code>, or browsers will not show the embed.
      </p>
      <form className="embed-options" onSubmit={(event) => event.preventDefault()}>
        <div className="field">
          <label htmlFor="embed-kind">What to embed</label>
          <select
            id="embed-kind"
            value={kind}
            onChange={(event) => {
              const next = event.target.value === "feed" ? "feed" : "ticker";
              setKind(next);
              setLimit(String(EMBED_LIMIT_DEFAULT[next]));
              setCopied(null);
            }}
          >
            <option value="ticker">Ticker (breaking news)</option>
            <option value="feed">Feed</option>
          </select>
        </div>
        <fieldset className="field topic-choice" aria-describedby="embed-topics-hint">
          <legend>Topics</legend>
          <p id="embed-topics-hint" className="hint">
            None chosen: every topic.
          </p>
          <div className="topic-options">
            {topics.map((topic) => (
              <label key={topic.slug} className="check">
                <input
                  type="checkbox"
                  checked={chosen.includes(topic.slug)}
                  onChange={(event) => {
                    setChosen((old) =>
                      event.target.checked ? [...old, topic.slug] : old.filter((slug) => slug !== topic.slug),
                    );
                    setCopied(null);
                  }}
                />
                {topic.name}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor="embed-limit">Headlines shown</label>
          <input
            id="embed-limit"
            inputMode="numeric"
            value={limit}
            onChange={(event) => {
              setLimit(event.target.value);
              setCopied(null);
            }}
            aria-invalid={!limitOk}
            aria-describedby="embed-limit-hint"
          />
          <p id="embed-limit-hint" className={limitOk ? "hint" : "field-error"}>
            A whole number from 1 to {EMBED_LIMIT_MAX}.
          </p>
        </div>
        <div className="field">
          <label htmlFor="embed-theme">Colours</label>
          <select
            id="embed-theme"
            value={theme}
            onChange={(event) => {
              const value = event.target.value;
              setTheme(value === "light" || value === "dark" ? value : "auto");
              setCopied(null);
            }}
          >
            <option value="auto">As the reader's system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </div>
        <label className="check">
          <input
            type="checkbox"
            checked={compact}
            onChange={(event) => {
              setCompact(event.target.checked);
              setCopied(null);
            }}
          />
          Compact (headlines only)
        </label>
      </form>
      <div className="field">
        <label htmlFor="embed-snippet">Snippet</label>
        <textarea
          id="embed-snippet"
          readOnly
          rows={4}
          value={snippet}
          onFocus={(event) => event.target.select()}
        />
      </div>
      <p>
        <button type="button" onClick={copy}>
          Copy snippet
        </button>{" "}
        <a href={embedUrl(origin, options)} target="_blank" rel="noopener noreferrer">
          Open the embed<span className="sr-only"> (opens in a new tab)</span>
        </a>
      </p>
      <p role="status">{copied}</p>
    </section>
  );
}
