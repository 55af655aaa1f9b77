import { Desk } from "../helpers/desk";
import { expect, test } from "./fixtures";
import { DashboardPage } from "./pages/dashboard";

/**
 * A restored backup gives out again the seqs of the changes it lost. A dashboard that kept one of
 * those seqs must not be patched with the new changes at the seqs after it: the server's change at
 * its seq is not the one it names (a replaced database's epoch is not its own), and it takes the
 * restored database's window. The restores follow docs/deploy.md: no `npm run renew-epoch`.
 */
test.describe("a dashboard whose server's database changes under it", () => {
  test("restored from an older backup: shows exactly the restored items and the new ones, none of the lost ones", async ({
    page,
  }) => {
    // Reconnects back off for up to 30 s while the server is away: room for a few on a loaded machine.
    test.setTimeout(120_000);
    const desk = await Desk.start();
    try {
      const dashboard = new DashboardPage(page);
      await page.goto(desk.url);
      await expect(dashboard.status).toContainText("Live");

      const kept = ["Kept: ferry service resumes", "Kept: bridge reopens"];
      for (const headline of kept) await desk.publish({ headline });
      const backup = await desk.backup();
      const lost = ["Lost: council meets", "Lost: roads close", "Lost: storm warning"];
      for (const headline of lost) await desk.publish({ headline });
      await expect(dashboard.article(lost[2] ?? "")).toBeVisible();

      // While the server is restored and new items take the lost ones' seqs (and one more), the
      // dashboard cannot reach it; it comes back holding the seq of the last lost item.
      let reachable = true;
      await page.routeWebSocket(/socket\.io/, (socket) => {
        if (reachable) socket.connectToServer();
        else socket.close();
      });
      reachable = false;
      await desk.restore(backup);
      const fresh = [
        "New: tram line opens",
        "New: school term starts",
        "New: market hall sold",
        "New: river level falls",
      ];
      for (const headline of fresh) await desk.publish({ headline });
      await expect(dashboard.status).not.toContainText("Live");
      reachable = true;

      await expect(dashboard.status).toContainText("Live", { timeout: 60_000 });
      await expect(dashboard.headlines()).toHaveText([...fresh].reverse().concat([...kept].reverse()));
      for (const headline of lost) await expect(dashboard.article(headline)).toHaveCount(0);

      // And it follows the restored timeline live from there, with its seqs.
      await desk.publish({ headline: "New: after the restore" });
      await expect(dashboard.article("New: after the restore")).toBeVisible();
      await expect(dashboard.headlines()).toHaveCount(fresh.length + kept.length + 1);
    } finally {
      await desk.stop();
    }
  });

  test("replaced by another, across a reload: paints the kept window, then shows only the new database's items", async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const desk = await Desk.start();
    const other = await Desk.start();
    try {
      const dashboard = new DashboardPage(page);
      await page.goto(desk.url);
      await expect(dashboard.status).toContainText("Live");
      const replaced = ["Replaced: harbour fire out", "Replaced: flights resume"];
      for (const headline of replaced) await desk.publish({ headline });
      await expect(dashboard.article(replaced[1] ?? "")).toBeVisible();
      // The window is saved a moment after the last change; wait until it is there.
      await expect
        .poll(() =>
          page.evaluate(
            () => window.localStorage.getItem("livedesk:timeline:v1")?.includes("flights") ?? false,
          ),
        )
        .toBe(true);

      // Another desk's database, further along than the kept seq, takes this one's place.
      const current = ["Current: one", "Current: two", "Current: three", "Current: four"];
      for (const headline of current) await other.publish({ headline });
      let reachable = false;
      await page.routeWebSocket(/socket\.io/, (socket) => {
        if (reachable) socket.connectToServer();
        else socket.close();
      });
      await desk.replaceDatabase(await other.backup());
      await page.reload();
      // What the browser kept, painted before the connection is up.
      await expect(dashboard.article(replaced[1] ?? "")).toBeVisible();
      reachable = true;

      await expect(dashboard.status).toContainText("Live", { timeout: 30_000 });
      await expect(dashboard.headlines()).toHaveText([...current].reverse());
    } finally {
      await other.stop();
      await desk.stop();
    }
  });

  test("restored from an older backup, across a reload: paints the kept window, then shows none of the lost changes", async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const desk = await Desk.start();
    try {
      // An old story below a hundred newer ones: the latest window will not hold it.
      const archived = await desk.publish({
        headline: "Kept: archive story",
        publishedAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      });
      for (let i = 1; i <= 100; i += 1) await desk.publish({ headline: `Kept: brief ${i}` });
      const backup = await desk.backup();
      const lost = ["Lost: hail expected", "Lost: match postponed"];
      for (const headline of lost) await desk.publish({ headline });
      // The last lost change edits the old story: the window the dashboard opens on does not hold
      // the item it wrote, so only what the browser keeps names the change at its seq.
      await desk.edit(archived, { headline: "Lost: archive story corrected" });

      const dashboard = new DashboardPage(page);
      await page.goto(desk.url);
      await expect(dashboard.status).toContainText("Live");
      await expect(dashboard.article(lost[1] ?? "")).toBeVisible();
      // The window is saved a moment after the sync; wait until it is there.
      await expect
        .poll(() =>
          page.evaluate(
            () => window.localStorage.getItem("livedesk:timeline:v1")?.includes("match postponed") ?? false,
          ),
        )
        .toBe(true);

      let reachable = false;
      await page.routeWebSocket(/socket\.io/, (socket) => {
        if (reachable) socket.connectToServer();
        else socket.close();
      });
      await desk.restore(backup);
      // Five new items: the lost changes' seqs and two more.
      const fresh = [
        "New: ferry timetable",
        "New: library hours",
        "New: bridge works",
        "New: fair opens",
        "New: pool reopens",
      ];
      for (const headline of fresh) await desk.publish({ headline });
      await page.reload();
      // What the browser kept, lost items included, painted before the connection is up.
      await expect(dashboard.article(lost[1] ?? "")).toBeVisible();
      reachable = true;

      await expect(dashboard.status).toContainText("Live", { timeout: 30_000 });
      for (const [i, headline] of [...fresh].reverse().entries()) {
        await expect(dashboard.headlines().nth(i)).toHaveText(headline);
      }
      await expect(dashboard.headlines().nth(fresh.length)).toHaveText("Kept: brief 100");
      for (const headline of [...lost, "Lost: archive story corrected"]) {
        await expect(dashboard.article(headline)).toHaveCount(0);
      }
    } finally {
      await desk.stop();
    }
  });
});
