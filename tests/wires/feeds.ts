/** Feed documents in each format a wire may publish, made from a few fields per entry. */

export interface FixtureEntry {
  id: string;
  title: string;
  html?: string;
  link?: string;
  date?: string;
}

const xmlText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** RSS 2.0; `guid: false` leaves the guid out (identity falls back to the link). */
export function rss(
  entries: readonly FixtureEntry[],
  options: { ttl?: number; guid?: boolean } = {},
): string {
  const items = entries
    .map(
      (e) => `<item>
  <title>${xmlText(e.title)}</title>
  ${e.link === undefined ? "" : `<link>${xmlText(e.link)}</link>`}
  ${options.guid === false ? "" : `<guid isPermaLink="false">${xmlText(e.id)}</guid>`}
  ${e.date === undefined ? "" : `<pubDate>${new Date(e.date).toUTCString()}</pubDate>`}
  ${e.html === undefined ? "" : `<description>${xmlText(e.html)}</description>`}
</item>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Agency wire</title><link>https://agency.example/</link><description>News</description>
${options.ttl === undefined ? "" : `<ttl>${options.ttl}</ttl>`}
${items}
</channel></rss>`;
}

/** Atom 1.0. */
export function atom(entries: readonly FixtureEntry[]): string {
  const items = entries
    .map(
      (e) => `<entry>
  <id>${xmlText(e.id)}</id>
  <title type="text">${xmlText(e.title)}</title>
  ${e.link === undefined ? "" : `<link rel="alternate" href="${xmlText(e.link)}"/>`}
  <updated>${e.date ?? "2026-01-01T00:00:00Z"}</updated>
  ${e.date === undefined ? "" : `<published>${e.date}</published>`}
  ${e.html === undefined ? "" : `<summary type="html">${xmlText(e.html)}</summary>`}
</entry>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Ministry</title><id>urn:ministry</id><updated>2026-01-01T00:00:00Z</updated>
${items}
</feed>`;
}

/** RSS 1.0 (RDF). The entry's id is its rdf:about. */
export function rdf(entries: readonly FixtureEntry[]): string {
  const items = entries
    .map(
      (e) => `<item rdf:about="${xmlText(e.id)}">
  <title>${xmlText(e.title)}</title>
  <link>${xmlText(e.link ?? e.id)}</link>
  ${e.html === undefined ? "" : `<description>${xmlText(e.html)}</description>`}
  ${e.date === undefined ? "" : `<dc:date>${e.date}</dc:date>`}
</item>`,
    )
    .join("\n");
  return `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://outlet.example/"><title>Outlet</title><link>https://outlet.example/</link><description>d</description></channel>
${items}
</rdf:RDF>`;
}

/** JSON Feed 1.1. */
export function jsonFeed(entries: readonly FixtureEntry[]): string {
  return JSON.stringify({
    version: "https://jsonfeed.org/version/1.1",
    title: "Outlet",
    items: entries.map((e) => ({
      id: e.id,
      title: e.title,
      ...(e.link === undefined ? {} : { url: e.link }),
      ...(e.html === undefined ? {} : { content_html: e.html }),
      ...(e.date === undefined ? {} : { date_published: e.date }),
    })),
  });
}

/** `n` entries, one a minute back from `newest`, newest first. */
export function entries(n: number, newest = "2026-03-01T12:00:00.000Z", prefix = "e"): FixtureEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${n - i}`,
    title: `Entry ${n - i}`,
    html: `<p>Body of entry ${n - i}</p>`,
    link: `https://agency.example/${prefix}/${n - i}`,
    date: new Date(Date.parse(newest) - i * 60_000).toISOString(),
  }));
}
