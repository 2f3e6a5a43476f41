/** Seeded randomness for tests that shuffle deliveries: a failing seed can be replayed. */

/** mulberry32: small, fast, good enough to shuffle test inputs. */
export const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export const shuffled = <T>(items: readonly T[], random: () => number): T[] => {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
};

/** Cuts items into consecutive groups of random sizes between 1 and `max`. */
export const randomChunks = <T>(items: readonly T[], max: number, random: () => number): T[][] => {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; ) {
    const size = 1 + Math.floor(random() * max);
    chunks.push(items.slice(i, i + size));
    i += size;
  }
  return chunks;
};
