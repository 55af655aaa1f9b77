import { useEffect } from "react";
import { ConnectionStatus } from "../components/ConnectionStatus";
import { Feed } from "../components/Feed";
import { FeedLinks } from "../components/FeedLinks";
import { KeyEvents } from "../components/KeyEvents";
import { LiveAnnouncer } from "../components/LiveAnnouncer";
import { SearchBox } from "../components/SearchBox";
import { Ticker } from "../components/Ticker";
import { TopicFilter } from "../components/TopicFilter";
import { GetAlerts } from "../push/GetAlerts";
import { useStore } from "../store";
import { filterFromSearch, searchFromFilter, topicsAskedBeyondLimit } from "../store/filter";

/** Keeps the filter in the URL (`/?topic=a&topic=b&q=…`) and the URL in the filter. */
function useFilterInUrl() {
  const filter = useStore((state) => state.filter);
  const setFilter = useStore((state) => state.setFilter);
  useEffect(() => {
    const search = searchFromFilter(filter);
    // The entry's state is kept: it holds the feed position to come back to.
    if (search !== window.location.search)
      window.history.replaceState(window.history.state, "", `/${search}`);
  }, [filter]);
  useEffect(() => {
    const onPopState = () =>
      setFilter(filterFromSearch(window.location.search), topicsAskedBeyondLimit(window.location.search));
    window.addEventListener("popstate", onPopState);
    return () => window.removeEventListener("popstate", onPopState);
  }, [setFilter]);
}

/** "(3) livedesk" while the tab is hidden and new items arrive. */
function useUnseenInTitle() {
  const unseen = useStore((state) => state.unseenCount);
  const markSeen = useStore((state) => state.markSeen);
  useEffect(() => {
    document.title = unseen > 0 ? `(${unseen}) livedesk — live news` : "livedesk — live news";
  }, [unseen]);
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === "visible") markSeen();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, [markSeen]);
}

export function Dashboard() {
  useFilterInUrl();
  useUnseenInTitle();
  return (
    <>
      <a className="skip-link" href="#feed-start">
        Skip to the news feed
      </a>
      <header className="masthead">
        <h1 className="brand">livedesk</h1>
      </header>
      <Ticker />
      <main className="page">
        <div className="filters">
          <TopicFilter />
          <SearchBox />
          {/* Ways to follow the news away from the page; after the filters, so the ticker stays the first stop. */}
          <div className="follow">
            <FeedLinks />
            <GetAlerts />
          </div>
        </div>
        <KeyEvents />
        <span id="feed-start" tabIndex={-1} />
        <Feed />
      </main>
      <ConnectionStatus />
      <LiveAnnouncer />
    </>
  );
}
