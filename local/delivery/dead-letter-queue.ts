/**
 * The local dead-letter queues: where a message lands once its queue has handed it out
 * maxReceiveCount times without success, as SQS moves it to the queue's redrive target. Kept in
 * memory, or - with a data directory - in one JSON file per source queue, so what failed survives
 * a restart and can be listed and redriven by the CLI later.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface DeadLetter {
  /** The message id it had in its source queue; kept on redrive, as SQS does. */
  messageId: string;
  /** The source queue's name (`processor`, `notifier`, `snapshots`). */
  queue: string;
  /** The EventBridge rule that feeds the source queue (or the rules, comma-separated). */
  rule: string;
  /** The SQS body: the EventBridge event as JSON, byte for byte what the handler received. */
  body: string;
  receiveCount: number;
  sentAt: string;
  deadLetteredAt: string;
  /** What the last attempt said: the thrown error, or the handler's own report for that message. */
  reason: string;
}

export interface DeadLetterQueue {
  add(letter: DeadLetter): Promise<void>;
  /** Every dead letter, oldest first; of one source queue when `queue` is given. */
  list(queue?: string): Promise<DeadLetter[]>;
  /** Removes and returns the letters chosen (by message id, or all of a queue, or all). */
  take(filter: { queue?: string; messageIds?: readonly string[] }): Promise<DeadLetter[]>;
  /** Where the letters are kept: a directory, or null in memory. */
  readonly location: string | null;
}

const matches = (letter: DeadLetter, filter: { queue?: string; messageIds?: readonly string[] }): boolean =>
  (filter.queue === undefined || letter.queue === filter.queue) &&
  (filter.messageIds === undefined || filter.messageIds.includes(letter.messageId));

export function createMemoryDeadLetterQueue(): DeadLetterQueue {
  let letters: DeadLetter[] = [];
  return {
    location: null,
    async add(letter) {
      letters.push(structuredClone(letter));
    },
    async list(queue) {
      return letters.filter((letter) => queue === undefined || letter.queue === queue).map((letter) => structuredClone(letter));
    },
    async take(filter) {
      const taken = letters.filter((letter) => matches(letter, filter));
      letters = letters.filter((letter) => !matches(letter, filter));
      return taken;
    },
  };
}

/**
 * `<dir>/<queue>.json`, each an array of letters. Writes go through a temporary file and a rename so
 * a crash never leaves half a file, and are serialised so two failures at once do not lose one.
 */
export function createFileDeadLetterQueue(dir: string): DeadLetterQueue {
  let chain: Promise<unknown> = Promise.resolve();
  const serialised = <T>(work: () => Promise<T>): Promise<T> => {
    const run = chain.then(work, work);
    chain = run.catch(() => undefined);
    return run;
  };

  const fileOf = (queue: string): string => join(dir, `${queue}.json`);

  const read = async (queue: string): Promise<DeadLetter[]> => {
    try {
      const parsed: unknown = JSON.parse(await readFile(fileOf(queue), 'utf8'));
      if (!Array.isArray(parsed)) throw new Error(`${fileOf(queue)} does not hold a list of dead letters`);
      return parsed as DeadLetter[];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  };

  const write = async (queue: string, letters: readonly DeadLetter[]): Promise<void> => {
    await mkdir(dir, { recursive: true });
    const temporary = join(dir, `.${queue}.${randomUUID()}.tmp`);
    await writeFile(temporary, `${JSON.stringify(letters, null, 2)}\n`, 'utf8');
    await rename(temporary, fileOf(queue));
  };

  const queues = async (): Promise<string[]> => {
    try {
      return (await readdir(dir)).filter((name) => name.endsWith('.json') && !name.startsWith('.')).map((name) => name.slice(0, -5)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  };

  const byTime = (a: DeadLetter, b: DeadLetter): number => (a.deadLetteredAt < b.deadLetteredAt ? -1 : a.deadLetteredAt > b.deadLetteredAt ? 1 : 0);

  return {
    location: dir,
    add: (letter) =>
      serialised(async () => {
        await write(letter.queue, [...(await read(letter.queue)), letter]);
      }),
    list: (queue) =>
      serialised(async () => {
        const names = queue === undefined ? await queues() : [queue];
        return (await Promise.all(names.map(read))).flat().sort(byTime);
      }),
    take: (filter) =>
      serialised(async () => {
        const names = filter.queue === undefined ? await queues() : [filter.queue];
        const taken: DeadLetter[] = [];
        for (const name of names) {
          const letters = await read(name);
          const chosen = letters.filter((letter) => matches(letter, filter));
          if (chosen.length === 0) continue;
          await write(name, letters.filter((letter) => !matches(letter, filter)));
          taken.push(...chosen);
        }
        return taken.sort(byTime);
      }),
  };
}
