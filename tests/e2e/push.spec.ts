import type { BrowserContext, Page } from "@playwright/test";
import { alertMessageSchema } from "../../shared/push";
import { Desk } from "../helpers/desk";
import { type PushService, startPushService, type TestSubscription } from "../helpers/push-service";
import { test as base, expect, seriousViolations } from "./fixtures";
import { AlertsDialog } from "./pages/alerts";
import { PermalinkPage } from "./pages/permalink";

/*
 * Push alerts in Chromium. The browsers' push services cannot be reached from here, so the page's
 * `pushManager` hands out a subscription of the loopback push service (tests/helpers/push-service.ts)
 * instead of Google's; everything else is real: the dialog, the permission, the server encrypting
 * and signing, the push service checking and decrypting, and the service worker, which gets each
 * decrypted message through the DevTools protocol (`ServiceWorker.deliverPushMessage`), as from a
 * push service, and shows it.
 */

const test = base.extend<
  { answer: { permission: "granted" | "denied"; asks: number }; subscription: TestSubscription },
  { desk: Desk; pushService: PushService }
>({
  pushService: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies as a pattern
    async ({}, use) => {
      const service = await startPushService();
      await use(service);
      await service.close();
    },
    { scope: "worker" },
  ],
  // This desk sends to the push service on loopback (LIVEDESK_PUSH_INSECURE_ENDPOINTS).
  desk: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies as a pattern
    async ({}, use) => {
      const desk = await Desk.start({ env: { LIVEDESK_PUSH_INSECURE_ENDPOINTS: "1" } });
      await use(desk);
      await desk.stop();
    },
    { scope: "worker" },
  ],
  subscription: async ({ pushService }, use) => {
    await use(pushService.subscribe());
  },
  // What the reader answers when the browser asks for permission, and how often it asked.
  answer: async ({ context, desk, subscription }, use) => {
    const answer = { permission: "granted" as "granted" | "denied", asks: 0 };
    await context.exposeBinding("readerAnswersPermission", async () => {
      answer.asks += 1;
      if (answer.permission === "granted")
        await context.grantPermissions(["notifications"], { origin: desk.url });
      return answer.permission;
    });
    await context.addInitScript(
      (sub) => {
        const answers = Reflect.get(window, "readerAnswersPermission");
        if (typeof answers !== "function") return;
        // The browser's question, answered by the test as the reader would.
        Notification.requestPermission = () => answers();
        let current: PushSubscription | null = null;
        const fake = {
          endpoint: sub.endpoint,
          expirationTime: null,
          options: {},
          toJSON: () => ({ endpoint: sub.endpoint, expirationTime: null, keys: sub.keys }),
          unsubscribe: async () => {
            current = null;
            return true;
          },
        };
        PushManager.prototype.subscribe = async (options?: PushSubscriptionOptionsInit) => {
          if (options?.applicationServerKey === undefined || options.applicationServerKey === null)
            throw new Error("subscribe without the server's key");
          current = Object.setPrototypeOf(fake, PushSubscription.prototype);
          if (current === null) throw new Error("no subscription");
          return current;
        };
        PushManager.prototype.getSubscription = async () => current;
      },
      { endpoint: subscription.endpoint, keys: subscription.keys },
    );
    await use(answer);
  },
});

/** The registration of the alerts service worker, as the DevTools protocol names it. */
async function workerRegistration(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  const found = new Promise<string>((resolve) => {
    cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
      const live = registrations.find((r) => !r.isDeleted);
      if (live !== undefined) resolve(live.registrationId);
    });
  });
  await cdp.send("ServiceWorker.enable");
  const registrationId = await found;
  // A push handed to a worker still installing (it keeps the built files first, slow on a loaded
  // machine) is lost: wait until the registration has its active worker.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  return {
    /** Hands `payload` to the service worker as its push service would. */
    deliver: (payload: unknown) =>
      cdp.send("ServiceWorker.deliverPushMessage", {
        origin: new URL(page.url()).origin,
        registrationId,
        data: JSON.stringify(payload),
      }),
  };
}

/** The notifications the service worker shows right now. */
function shownNotifications(page: Page) {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag }));
  });
}

test.describe("Get alerts", () => {
  test("a reader subscribes to flashes on one topic; a flash there shows a notification, its correction replaces it, another topic or a lesser grade shows nothing", async ({
    page,
    context,
    desk,
    pushService,
    subscription,
    answer,
  }) => {
    await page.goto("/");
    const alerts = new AlertsDialog(page);
    await alerts.opener.click();
    await expect(alerts.dialog).toBeVisible();
    // Nothing is asked before the reader has chosen and clicked.
    expect(answer.asks).toBe(0);
    await expect(alerts.dialog).toContainText(
      "Your browser will ask whether livedesk may show notifications.",
    );
    await alerts.topic("World").check();
    await alerts.threshold("Flashes only").check();
    expect(await seriousViolations(page)).toEqual([]);
    await alerts.turnOn.click();
    await expect(alerts.status).toHaveText("Alerts are on for World.");
    expect(answer.asks).toBe(1);
    const worker = await workerRegistration(context, page);

    const before = pushService.messages.length;
    await desk.publish({ headline: "Stadium roof collapses", topics: ["sport"], urgency: 1 });
    await desk.publish({ headline: "Convoy reaches the valley", topics: ["world"], urgency: 2 });
    const item = await desk.publish({ headline: "Border crossing reopens", topics: ["world"], urgency: 1 });
    const [sent] = (await pushService.waitForMessages(before + 1)).slice(before);
    expect(sent?.endpoint).toBe(subscription.endpoint);
    const alert = alertMessageSchema.parse(sent?.payload);
    expect(alert.title).toBe("Border crossing reopens");
    await worker.deliver(alert);
    await expect
      .poll(() => shownNotifications(page))
      .toEqual([{ title: "Border crossing reopens", body: "", tag: alert.tag }]);

    await desk.edit(item, {
      headline: "Border crossing reopens at noon",
      correction: "It opens at noon, not at dawn.",
    });
    const [corrected] = (await pushService.waitForMessages(before + 2)).slice(before + 1);
    const correction = alertMessageSchema.parse(corrected?.payload);
    await worker.deliver(correction);
    await expect
      .poll(() => shownNotifications(page))
      .toEqual([
        {
          title: "Border crossing reopens at noon",
          body: "Correction: It opens at noon, not at dawn.",
          tag: alert.tag,
        },
      ]);
    // The sport flash and the world alert (grade 2) went to nobody: they were queued before the flash.
    expect(pushService.messages.filter((m) => m.endpoint === subscription.endpoint)).toHaveLength(2);

    await desk.retract(item, "The crossing stays closed.");
    const [retracted] = (await pushService.waitForMessages(before + 3)).slice(before + 2);
    await worker.deliver(alertMessageSchema.parse(retracted?.payload));
    await expect
      .poll(() => shownNotifications(page))
      .toEqual([
        {
          title: "Retracted: Border crossing reopens at noon",
          body: "The crossing stays closed.",
          tag: alert.tag,
        },
      ]);

    // The dialog says alerts are on, and turns them off: the desk forgets the subscription.
    await alerts.close.click();
    await alerts.opener.click();
    await expect(alerts.status).toHaveText("Alerts are on for World.");
    await alerts.turnOff.click();
    await expect(alerts.status).toHaveText("Alerts are off.");
    await expect
      .poll(
        async () =>
          /livedesk_push_subscriptions (\d+)/.exec(await (await page.request.get("/metrics")).text())?.[1],
      )
      .toBe("0");
  });

  test("clicking an alert takes the reader's window to the item's permalink", async ({
    page,
    context,
    desk,
    pushService,
    subscription,
    answer,
  }) => {
    await page.goto("/");
    const alerts = new AlertsDialog(page);
    await alerts.opener.click();
    await alerts.topic("Politics").check();
    await alerts.threshold("Every breaking item").check();
    await alerts.turnOn.click();
    await expect(alerts.status).toHaveText("Alerts are on for Politics.");
    expect(answer.asks).toBe(1);
    await alerts.close.click();
    const worker = await workerRegistration(context, page);

    const before = pushService.messages.length;
    const item = await desk.publish({ headline: "Cabinet resigns", topics: ["politics"], breaking: true });
    const [sent] = (await pushService.waitForMessages(before + 1)).slice(before);
    expect(sent?.endpoint).toBe(subscription.endpoint);
    const alert = alertMessageSchema.parse(sent?.payload);
    await worker.deliver(alert);
    await expect.poll(() => shownNotifications(page)).toHaveLength(1);

    // The reader clicks the notification. No DevTools call clicks one, so the service worker gets
    // the click event it would get from the browser; only focusing a window needs a real click.
    const [serviceWorker] = context.serviceWorkers();
    if (serviceWorker === undefined) throw new Error("no service worker");
    await serviceWorker.evaluate(async () => {
      const scope = Reflect.get(globalThis, "registration");
      if (!(scope instanceof ServiceWorkerRegistration)) throw new Error("not the service worker");
      const [notification] = await scope.getNotifications();
      if (notification === undefined) throw new Error("no notification shown");
      // NotificationEvent is a worker's type, which the tests' DOM types do not declare.
      const NotificationEvent = Reflect.get(globalThis, "NotificationEvent");
      if (typeof NotificationEvent !== "function") throw new Error("no NotificationEvent");
      const click: unknown = Reflect.construct(NotificationEvent, ["notificationclick", { notification }]);
      if (!(click instanceof Event)) throw new Error("not an event");
      globalThis.dispatchEvent(click);
    });
    await expect(page).toHaveURL(new RegExp(`/items/${item.id}$`));
    const permalink = new PermalinkPage(page);
    await expect(permalink.heading()).toHaveText("Cabinet resigns");
    // The click also closes the notification.
    await expect.poll(() => shownNotifications(page)).toEqual([]);
  });

  test("a reader who said no is not asked again", async ({ page, answer }) => {
    answer.permission = "denied";
    await page.goto("/");
    const alerts = new AlertsDialog(page);
    await alerts.opener.click();
    await alerts.topic("Politics").check();
    await alerts.turnOn.click();
    await expect(alerts.dialog).toContainText("Notifications from livedesk are blocked");
    expect(answer.asks).toBe(1);
    await alerts.close.click();
    await page.reload();
    await alerts.opener.click();
    await expect(alerts.dialog).toContainText("this page will not ask again");
    await expect(alerts.turnOn).toHaveCount(0);
    expect(answer.asks).toBe(1);
  });

  test("asks for a topic before asking the browser", async ({ page, answer }) => {
    await page.goto("/");
    const alerts = new AlertsDialog(page);
    await alerts.opener.click();
    await alerts.turnOn.click();
    await expect(alerts.dialog.getByText("Choose at least one topic.")).toBeVisible();
    // Focus goes to the first topic, where the choice is missing.
    await expect(
      alerts.dialog.getByRole("group", { name: "Alert me about" }).getByRole("checkbox").first(),
    ).toBeFocused();
    expect(answer.asks).toBe(0);
  });

  test("offline, says alerts wait for the network instead of failing or asking the browser", async ({
    page,
    context,
    answer,
  }) => {
    const offline = "You are offline. Alerts can be turned on once you are back online.";
    await page.goto("/");
    // The installed app keeps the dashboard (the service worker) but never loaded the dialog.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await expect.poll(() => page.evaluate(async () => (await caches.match("/")) !== undefined)).toBe(true);
    await context.setOffline(true);
    await page.reload();
    const alerts = new AlertsDialog(page);
    await alerts.opener.click();
    await expect(page.getByRole("alert").filter({ hasText: offline })).toBeVisible();
    // The dashboard stays (a failed lazy load used to take the whole page down).
    await expect(page.getByRole("marquee", { name: "Breaking news" })).toBeAttached();
    await expect(alerts.opener).toBeVisible();

    // Online once, the dialog is kept; offline again, it opens and says why nothing can be chosen.
    await context.setOffline(false);
    await page.reload();
    await alerts.opener.click();
    await expect(alerts.topic("Politics")).toBeVisible();
    await alerts.close.click();
    await context.setOffline(true);
    await page.reload();
    await alerts.opener.click();
    await expect(alerts.problem).toHaveText(offline);
    await expect(alerts.dialog.getByText("Loading topics…")).toHaveCount(0);
    await expect(alerts.turnOn).toBeDisabled();
    expect(await seriousViolations(page)).toEqual([]);
    expect(answer.asks).toBe(0);
  });
});

test.describe("Get alerts on an iPhone", () => {
  test.use({
    userAgent:
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1",
    viewport: { width: 390, height: 844 },
  });

  test("tells the reader to add livedesk to the Home Screen first", async ({ page, answer }) => {
    await page.goto("/");
    const alerts = new AlertsDialog(page);
    await alerts.opener.click();
    await expect(alerts.dialog).toContainText("Add to Home Screen");
    await expect(alerts.turnOn).toHaveCount(0);
    await expect(alerts.close).toBeInViewport();
    expect(answer.asks).toBe(0);
  });
});
