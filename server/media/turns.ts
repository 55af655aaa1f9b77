/**
 * At most `size` pieces of work at once; the rest wait their turn, first come first served.
 * Decoding a picture of 40 megapixels takes about 120 MB for a moment: two at a time keep a
 * node's memory bounded whatever many uploads and first requests for a width arrive together.
 */
export class Turns {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  /** How many are running now (for tests and metrics). */
  get busy(): number {
    return this.running;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, so a newcomer cannot overtake it.
      const next = this.waiting.shift();
      if (next === undefined) this.running -= 1;
      else next();
    }
  }
}
