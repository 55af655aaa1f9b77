import { useEffect } from "react";
import { useStore } from "../store";
import { searchFromFilter } from "../store/filter";

const FEEDS = [
  { path: "/feed.atom", type: "application/atom+xml", name: "Atom feed" },
  { path: "/feed.json", type: "application/feed+json", name: "JSON Feed" },
] as const;

/**
 * The feeds of what the reader is looking at (the same topics and search), as links on the page
 * and as `<link rel="alternate">` in the head, where browsers and feed readers look for them. The
 * server's first paint writes both for the address asked for (server/pages/html.ts); this keeps
 * them true as the reader changes the filter.
 */
export function FeedLinks() {
  const search = useStore((state) => searchFromFilter(state.filter));
  useEffect(() => {
    for (const feed of FEEDS) {
      let link = document.head.querySelector<HTMLLinkElement>(`link[rel="alternate"][type="${feed.type}"]`);
      if (link === null) {
        link = document.createElement("link");
        link.rel = "alternate";
        link.type = feed.type;
        link.title = `livedesk — ${feed.name}`;
        document.head.append(link);
      }
      link.setAttribute("href", `${feed.path}${search}`);
    }
  }, [search]);
  return (
    <nav className="feed-links" aria-label="Feeds">
      {FEEDS.map((feed) => (
        <a key={feed.path} href={`${feed.path}${search}`} type={feed.type}>
          {feed.name}
        </a>
      ))}
    </nav>
  );
}
