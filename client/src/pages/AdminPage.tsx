import { Link } from "wouter";

/** The operator panel arrives with its own work; until then the route answers with a plain page. */
export function AdminPage() {
  return (
    <main className="page">
      <h1>Operator panel</h1>
      <p>The operator panel is not built yet. Newsroom tools can publish through the HTTP API.</p>
      <p>
        <Link href="/">← All news</Link>
      </p>
    </main>
  );
}
