import { z } from "zod";
import { sessionSchema } from "../../shared/requests";

export interface AdminSession {
  /** Cookie and CSRF headers of a logged-in admin, for the admin API. */
  headers: Record<string, string>;
  /** A new editor token, as a newsroom tool would be given. */
  editorToken: string;
}

/**
 * What an admin does first on a fresh server, the way the panel does it: log in, create
 * `topics` (slug → name), and make an editor token for the tools that publish.
 */
export async function setUpDesk(
  url: string,
  password: string,
  topics: Record<string, string> = { world: "World" },
): Promise<AdminSession> {
  const login = await fetch(`${url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password }),
  });
  if (!login.ok) throw new Error(`admin login answered ${login.status}`);
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const headers = { cookie, "x-csrf-token": sessionSchema.parse(await login.json()).csrfToken };
  const post = async (pathname: string, body: object) => {
    const response = await fetch(`${url}${pathname}`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`POST ${pathname} answered ${response.status}: ${await response.text()}`);
    return response.json();
  };
  for (const [slug, name] of Object.entries(topics)) await post("/api/topics", { slug, name });
  const created = await post("/api/tokens", { name: "newsroom wire", role: "editor" });
  return { headers, editorToken: z.object({ token: z.string() }).parse(created).token };
}
