import { useEffect } from "react";
import { Link } from "wouter";

/** Any address the app does not know: says so, and leads home (the server answers such paths with 404). */
export function NotFound({ home = "/" }: { home?: string }) {
  useEffect(() => {
    document.title = "Page not found — livedesk";
  }, []);
  return (
    <main className="page">
      <h1>Page not found</h1>
      <p>
        <Link href={home}>Go to the latest news</Link>
      </p>
    </main>
  );
}
