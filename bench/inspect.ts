import WebSocket from "ws";
import { z } from "zod";

const targetList = z.array(z.object({ webSocketDebuggerUrl: z.string() }));
const memoryUsage = z.object({ rss: z.number(), heapUsed: z.number(), external: z.number() });
const scriptParsed = z.object({
  method: z.literal("Debugger.scriptParsed"),
  params: z.object({ url: z.string() }),
});
const evaluated = z.object({ result: z.object({ result: z.object({ value: z.string() }) }) });

export type Memory = z.infer<typeof memoryUsage>;

/**
 * A server process seen through its Node inspector (`--inspect`): the benchmark collects its
 * garbage before reading its memory, so that what it reports per reader is what the server keeps
 * for each one, not what a connection storm left for the collector.
 */
export class Inspector {
  private next = 1;
  private readonly pending = new Map<number, (reply: unknown) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const reply: unknown = JSON.parse(data.toString());
      const id = typeof reply === "object" && reply !== null ? Reflect.get(reply, "id") : undefined;
      if (typeof id !== "number") return;
      this.pending.get(id)?.(reply);
      this.pending.delete(id);
    });
  }

  static async connect(port: number): Promise<Inspector> {
    const [target] = targetList.parse(await (await fetch(`http://127.0.0.1:${port}/json/list`)).json());
    if (target === undefined) throw new Error(`no inspector target on port ${port}`);
    const ws = new WebSocket(target.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    return new Inspector(ws);
  }

  private send(method: string, params: object = {}): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Memory after full garbage collections. */
  async memory(): Promise<Memory> {
    for (let i = 0; i < 3; i += 1) await this.send("HeapProfiler.collectGarbage");
    const reply = await this.send("Runtime.evaluate", {
      expression: "JSON.stringify(process.memoryUsage())",
      returnByValue: true,
    });
    return memoryUsage.parse(JSON.parse(evaluated.parse(reply).result.result.value));
  }

  /** Starts V8's sampling profiler (every `intervalUs` microseconds). */
  async startProfile(intervalUs = 200): Promise<void> {
    await this.send("Profiler.enable");
    await this.send("Profiler.setSamplingInterval", { interval: intervalUs });
    await this.send("Profiler.start");
  }

  /** Stops the profiler and gives its profile (a `.cpuprofile`'s JSON). */
  async stopProfile(): Promise<unknown> {
    const reply = await this.send("Profiler.stop");
    return z.object({ result: z.object({ profile: z.unknown() }) }).parse(reply).result.profile;
  }

  /** The URL of every script the process has loaded so far: its own files and node_modules' alike. */
  async loadedScripts(): Promise<string[]> {
    const urls: string[] = [];
    const parsed = (data: WebSocket.RawData) => {
      const event = scriptParsed.safeParse(JSON.parse(data.toString()));
      if (event.success) urls.push(event.data.params.url);
    };
    this.ws.on("message", parsed);
    // Enabling the debugger reports every script loaded before it answers; its events stop after.
    await this.send("Debugger.enable");
    await this.send("Debugger.disable");
    this.ws.off("message", parsed);
    return urls;
  }

  close(): void {
    this.ws.close();
  }
}
