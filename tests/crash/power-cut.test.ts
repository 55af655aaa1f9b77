import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { itemPageSchema } from "../../shared/item";
import { Desk } from "../helpers/desk";
import { Reader } from "../helpers/reader";

const desks: Desk[] = [];
const readers: Reader[] = [];
afterEach(async () => {
  for (const reader of readers.splice(0)) reader.close();
  await Promise.all(desks.splice(0).map((desk) => desk.stop()));
});

/**
 * SQLite broadcasts a group commit once it is in the write-ahead log and acknowledges it once the
 * log is synced (docs/reliability.md). A power cut keeps what the disk had at the last sync: here
 * the database and its log as they were after the last acknowledged publish, copied byte for byte,
 * then the server killed and the copies put back before it starts again.
 */
describe("a power cut that takes back a change readers already saw", () => {
  it("keeps every acknowledged item, and a reader that saw the lost change ends with the server's timeline", async () => {
    const desk = await Desk.start();
    desks.push(desk);
    const reader = new Reader(desk.url);
    readers.push(reader);
    await desk.publish({ headline: "Kept story 1" });
    await desk.publish({ headline: "Kept story 2" });
    await reader.waitForSeq(2);

    // What the disk holds at the last acknowledgement.
    const disk = [desk.databaseFile, `${desk.databaseFile}-wal`].map((file) => ({
      file,
      bytes: fs.readFileSync(file),
    }));
    await desk.publish({ headline: "Lost story" });
    await reader.waitForSeq(3);
    expect(reader.follower.view.items.map((item) => item.headline)).toContain("Lost story");

    reader.socket.disconnect();
    const applied = [...reader.applied];
    await desk.kill();
    fs.rmSync(`${desk.databaseFile}-shm`, { force: true });
    for (const { file, bytes } of disk) fs.writeFileSync(file, bytes);
    await desk.restart();

    const after = itemPageSchema.parse(await desk.call("GET", "/api/items?limit=50"));
    expect(after.seq).toBe(2);
    expect(after.items.map((item) => item.headline)).toEqual(["Kept story 2", "Kept story 1"]);
    // Seq 3 goes to another change now: the reader holding seq 3 must not take it for "Lost story".
    await desk.publish({ headline: "New story" });

    const syncs = reader.syncs;
    reader.socket.connect();
    await reader.waitForSyncs(syncs + 1, 30_000);
    await reader.waitForSeq(3, 30_000);
    expect(reader.follower.view.items.map((item) => item.headline)).toEqual([
      "New story",
      "Kept story 2",
      "Kept story 1",
    ]);
    // The new seq 3 came in a reset, not as a change after the lost one.
    expect(reader.applied).toEqual(applied);
  });
});
