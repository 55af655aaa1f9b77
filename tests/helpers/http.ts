import type { IncomingMessage } from "node:http";
import { expect } from "vitest";
import { type Item, itemSchema } from "../../shared/item";
import { type ApiError, apiErrorSchema } from "../../shared/requests";

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Calls the API like a newsroom tool: JSON in, JSON out. */
export async function call(
  url: string,
  method: string,
  pathname: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] ??= "application/json";
  const response = await fetch(`${url}${pathname}`, {
    method,
    headers,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.body === undefined
      ? {}
      : { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === "" ? null : JSON.parse(text) };
}

/** Publishes an item with `token` and returns it; fails the test unless the answer is 201. */
export async function publish(
  url: string,
  token: string,
  fields: Record<string, unknown> = {},
): Promise<Item> {
  const answer = await call(url, "POST", "/api/items", {
    token,
    body: { headline: "A headline", topics: ["world"], ...fields },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return itemSchema.parse(answer.body);
}

/** Edits `item` at its current version with `token` and returns it; fails the test unless the answer is 200. */
export async function edit(
  url: string,
  token: string,
  item: Item,
  fields: Record<string, unknown>,
): Promise<Item> {
  const answer = await call(url, "PATCH", `/api/items/${item.id}`, {
    token,
    body: { version: item.version, ...fields },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return itemSchema.parse(answer.body);
}

export function errorOf(answer: Answer): ApiError["error"] {
  return apiErrorSchema.parse(answer.body).error;
}

/** The whole of an answer read with `node:http` (for what `fetch` will not send), its body as JSON. */
export function jsonAnswer(response: IncomingMessage): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    let text = "";
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => {
      text += chunk;
    });
    response.on("error", reject);
    response.on("end", () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
  });
}
