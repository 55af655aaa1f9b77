import http from "node:http";
import net from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { itemSchema } from "../../shared/item";
import { apiErrorSchema } from "../../shared/requests";
import { jsonAnswer } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

/** A publish whose bytes and headers are exactly these: `chunked` sends no Content-Length. */
function post(
  body: Buffer | string,
  headers: Record<string, string>,
  chunked = false,
): Promise<{ status: number; body: unknown }> {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  return new Promise((resolve, reject) => {
    const request = http.request(`${server.url}/api/items`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${server.editorToken}`,
        ...(chunked ? {} : { "content-length": String(bytes.length) }),
        ...headers,
      },
    });
    request.on("response", (response) => jsonAnswer(response).then(resolve, reject));
    request.on("error", reject);
    if (chunked) {
      // Two writes, so the body really comes in chunks.
      request.write(bytes.subarray(0, 5));
      request.end(bytes.subarray(5));
    } else request.end(bytes);
  });
}

const headlineOf = (answer: { body: unknown }) => itemSchema.parse(answer.body).headline;
const codeOf = (answer: { body: unknown }) => apiErrorSchema.parse(answer.body).error.code;
const item = (headline: string) => JSON.stringify({ headline, topics: ["world"] });
const JSON_TYPE = { "content-type": "application/json" };

describe("the API's JSON bodies", () => {
  it("reads the bodies tools send, in every spelling of JSON in UTF-8", async () => {
    for (const type of [
      "application/json",
      "application/json; charset=utf-8",
      "application/json;charset=UTF-8",
      "Application/JSON",
      "application/json; charset=utf-8; foo=bar",
    ]) {
      const answer = await post(item(`Typed ${type}`), { "content-type": type });
      expect(answer.status, type).toBe(201);
      expect(headlineOf(answer)).toBe(`Typed ${type}`);
    }
    const accents = await post(item("Élection à Zürich — «résultats» 選挙"), JSON_TYPE);
    expect(headlineOf(accents)).toBe("Élection à Zürich — «résultats» 選挙");
    const withMark = await post(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(item("Marked"))]),
      JSON_TYPE,
    );
    expect(headlineOf(withMark)).toBe("Marked");
    const spaced = await post(`\n\t  ${item("Spaced")}  \n`, JSON_TYPE);
    expect(headlineOf(spaced)).toBe("Spaced");
    const chunked = await post(item("Chunked"), JSON_TYPE, true);
    expect(headlineOf(chunked)).toBe("Chunked");
    const compressed = await post(gzipSync(item("Compressed")), { ...JSON_TYPE, "content-encoding": "gzip" });
    expect(headlineOf(compressed)).toBe("Compressed");
    const utf16 = await post(Buffer.from(item("Wide"), "utf16le"), {
      "content-type": "application/json; charset=utf-16le",
    });
    expect(headlineOf(utf16)).toBe("Wide");
  });

  it("answers broken, non-strict and empty bodies as before", async () => {
    for (const body of ['{"headline": ', '"a string"', "42", "null", "  true", "{'single': 1}"]) {
      const answer = await post(body, JSON_TYPE);
      expect(answer.status, body).toBe(400);
      expect(codeOf(answer), body).toBe("invalid_json");
    }
    // An empty body is an empty object (body-parser's strict mode), so the fields are named;
    // whitespace alone is not JSON.
    for (const [body, code] of [
      ["", "invalid_input"],
      ["\ufeff", "invalid_input"],
      ["   ", "invalid_json"],
    ]) {
      const answer = await post(body ?? "", JSON_TYPE);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(codeOf(answer), JSON.stringify(body)).toBe(code);
    }
    const array = await post("[1]", JSON_TYPE);
    expect(array.status).toBe(400);
    expect(codeOf(array)).toBe("invalid_input");
    const latin1 = await post(item("Latin"), { "content-type": "application/json; charset=latin1" });
    expect(latin1.status).toBe(415);
    expect(codeOf(latin1)).toBe("unsupported_encoding");
    const zipped = await post(item("Zipped"), { ...JSON_TYPE, "content-encoding": "compress" });
    expect(zipped.status).toBe(415);
    expect(codeOf(zipped)).toBe("unsupported_encoding");
    const huge = await post(
      JSON.stringify({ headline: "Big", topics: ["world"], summary: "x".repeat(1_100_000) }),
      JSON_TYPE,
    );
    expect(huge.status).toBe(413);
    expect(codeOf(huge)).toBe("payload_too_large");
  });

  it("keeps serving after a tool breaks off in the middle of a body", async () => {
    const { port } = new URL(server.url);
    const body = item("Broken off");
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(Number(port), "127.0.0.1", () => {
        socket.write(
          `POST /api/items HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${server.editorToken}\r\nContent-Type: application/json\r\nContent-Length: ${body.length + 10}\r\n\r\n${body}`,
          () => {
            socket.destroy();
            resolve();
          },
        );
      });
      socket.on("error", reject);
    });
    const after = await post(item("After the break"), JSON_TYPE);
    expect(after.status).toBe(201);
    const answer = await fetch(`${server.url}/api/items?limit=5`);
    const headlines = z
      .object({ items: z.array(z.object({ headline: z.string() })) })
      .parse(await answer.json())
      .items.map((each) => each.headline);
    expect(headlines).toContain("After the break");
    expect(headlines).not.toContain("Broken off");
  });
});
