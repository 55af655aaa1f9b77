import type { Logger } from "pino";
import { DEMO_SOURCE } from "../../shared/limits";
import type { TopicStore } from "../storage/timeline-store";
import type { Timeline } from "../timeline/timeline";

const TOPICS = [
  { slug: "world", name: "World" },
  { slug: "politics", name: "Politics" },
  { slug: "business", name: "Business" },
  { slug: "science", name: "Science" },
  { slug: "sport", name: "Sport" },
  { slug: "weather", name: "Weather" },
];

// Invented stories about invented places, so nobody mistakes the demo for real news.
const STORIES: readonly { headline: string; summary: string; topics: string[]; breaking?: boolean }[] = [
  {
    headline: "Harbour city of Norvik opens its new tidal bridge",
    summary:
      "The bridge rises with the tide twice a day, letting fishing boats pass without stopping traffic.",
    topics: ["world"],
  },
  {
    headline: "Storm warning raised for the Calder coast",
    summary: "Forecasters expect gusts above 110 km/h by evening; ferries between the islands are suspended.",
    topics: ["weather"],
    breaking: true,
  },
  {
    headline: "Parliament of Estmark passes budget after all-night session",
    summary:
      "The vote ended 61 to 58 shortly after dawn. Spending on rail and schools rises; the fuel levy stays.",
    topics: ["politics"],
  },
  {
    headline: "Lumen Robotics shares jump on warehouse contract",
    summary: "The firm will automate twelve distribution centres over three years, it said in a statement.",
    topics: ["business"],
  },
  {
    headline: "Astronomers spot a comet that will be visible to the naked eye in spring",
    summary:
      "The comet, found by an amateur observer, should be brightest low in the western sky after sunset.",
    topics: ["science"],
  },
  {
    headline: "Riverside FC win the cup on penalties",
    summary: "The final ended 2–2 after extra time; the keeper saved two of the last three kicks.",
    topics: ["sport"],
  },
  {
    headline: "Power restored to most homes in the Varna valley",
    summary: "Crews worked through the night after the storm brought down lines; about 800 homes still wait.",
    topics: ["weather", "world"],
  },
  {
    headline: "Central bank of Estmark holds rates steady",
    summary: "The governor said inflation is easing but the bank wants to see another quarter of data.",
    topics: ["business", "politics"],
  },
  {
    headline: "Earthquake of magnitude 5.8 felt across the northern provinces",
    summary:
      "No casualties are reported so far. Rail services are halted while engineers inspect the tracks.",
    topics: ["world"],
    breaking: true,
  },
  {
    headline: "Researchers grow drought-tolerant wheat in a three-year field trial",
    summary:
      "Yields held up in the driest plots, the team reports; seed could reach farmers within five years.",
    topics: ["science"],
  },
];

/** How many stories are back-dated on start, so that a new desk looks lived-in at once. */
const BACKFILL = 6;

/**
 * Publishes the invented stories: the first few at once, back-dated over the last hour, then one
 * every `intervalMs`, round and round. Returns the function that stops it.
 */
export async function startDemoWire(
  storage: Pick<TopicStore, "createTopic">,
  timeline: Timeline,
  logger: Logger,
  intervalMs: number,
): Promise<() => void> {
  for (const topic of TOPICS) await storage.createTopic(topic);
  let next = 0;
  const publishOne = async (publishedAt?: string) => {
    const story = STORIES[next % STORIES.length];
    next += 1;
    if (story === undefined) return;
    try {
      await timeline.publish(
        {
          headline: story.headline,
          summary: story.summary,
          topics: story.topics,
          breaking: story.breaking ?? false,
          pinned: false,
          url: null,
          source: DEMO_SOURCE,
          ...(publishedAt === undefined ? {} : { publishedAt }),
        },
        { name: "demo", principal: "demo" },
      );
    } catch (error) {
      logger.warn({ err: error }, "demo wire could not publish");
    }
  };
  for (let i = BACKFILL; i > 0; i -= 1) await publishOne(new Date(Date.now() - i * 9 * 60_000).toISOString());
  const timer = setInterval(publishOne, intervalMs);
  logger.info({ intervalMs }, "demo wire is on: publishing invented sample items");
  return () => clearInterval(timer);
}
