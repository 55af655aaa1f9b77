import { describe, expect, it } from "vitest";
import { pictureTurns } from "../../server/media/picture";
import { Turns } from "../../server/media/turns";
import { startTestServer } from "../helpers/server";
import { picture, upload } from "./pictures";

/*
 * Pictures are decoded a couple at a time per node, so a burst of uploads cannot take a node's
 * memory: the turns themselves, and a burst of real uploads through the server.
 */

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("Turns", () => {
  it("runs at most its size at once, first come first served, and a failure frees its turn", async () => {
    const turns = new Turns(2);
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    const runs = gates.map((gate, i) =>
      turns.run(async () => {
        started.push(i);
        await gate.promise;
        return i;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    gates[1]?.reject(new Error("a damaged picture"));
    await expect(runs[1]).rejects.toThrow("a damaged picture");
    expect(started).toEqual([0, 1, 2]);
    expect(turns.busy).toBe(2);
    for (const gate of gates) gate.resolve();
    expect(await Promise.all([runs[0], runs[2], runs[3], runs[4]])).toEqual([0, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(turns.busy).toBe(0);
  });
});

describe("a burst of uploads", () => {
  it("decodes two at a time and takes every one", async () => {
    const server = await startTestServer();
    try {
      const pictures = await Promise.all(
        Array.from({ length: 6 }, (_, i) => picture("png", 2000 + i * 10, 1500)),
      );
      let most = 0;
      const watch = setInterval(() => {
        most = Math.max(most, pictureTurns.busy);
      }, 1);
      const answers = await Promise.all(
        pictures.map((bytes) => upload(server.url, server.editorToken, bytes, "image/png")),
      );
      clearInterval(watch);
      expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201, 201, 201]);
      expect(most).toBe(2);
    } finally {
      await server.close();
    }
  });
});
