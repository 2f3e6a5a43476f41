/**
 * Events from files, for `replay` and `publish --file`: a JSON file holding one event or an array
 * of them, or a directory of such files taken in file-name order (the seed samples are named in
 * said order). Two shapes are accepted, so the same file serves this CLI and the AWS CLI:
 *
 *   EventBridge style   { "source": "...", "detail-type": "...", "detail": { ... } }
 *   PutEvents entries   { "Source": "...", "DetailType": "...", "Detail": "{...}" }  (aws events put-events --entries)
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PutEventsEntry } from './bus/local-event-bus.ts';

export interface FileEvent {
  /** Where it came from, for progress and error messages: `file.json` or `file.json[3]`. */
  origin: string;
  entry: PutEventsEntry;
}

export class EventFileError extends Error {
  override readonly name = 'EventFileError';
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** One event in either shape, as a PutEvents entry. Detail text is kept byte for byte when given as a string. */
export function toPutEventsEntry(value: unknown, origin: string): PutEventsEntry {
  if (!isObject(value)) throw new EventFileError(`${origin}: an event must be a JSON object`);
  if ('DetailType' in value || 'Detail' in value || 'Source' in value) {
    const { Source, DetailType, Detail, Resources, Time } = value;
    const detail = typeof Detail === 'string' ? Detail : Detail === undefined ? undefined : JSON.stringify(Detail);
    return {
      Source: typeof Source === 'string' ? Source : undefined,
      DetailType: typeof DetailType === 'string' ? DetailType : undefined,
      Detail: detail,
      ...(Array.isArray(Resources) ? { Resources: Resources.filter((r): r is string => typeof r === 'string') } : {}),
      ...(typeof Time === 'string' || typeof Time === 'number' ? { Time: new Date(typeof Time === 'number' ? Time * 1000 : Time) } : {}),
    };
  }
  const source = value['source'];
  const detailType = value['detail-type'];
  const detail = value['detail'];
  if (typeof source !== 'string' || typeof detailType !== 'string' || !isObject(detail)) {
    throw new EventFileError(`${origin}: expected {"source", "detail-type", "detail": {...}} or a PutEvents entry {"Source", "DetailType", "Detail"}`);
  }
  const resources = value['resources'];
  return {
    Source: source,
    DetailType: detailType,
    Detail: JSON.stringify(detail),
    ...(Array.isArray(resources) && resources.length > 0 ? { Resources: resources.filter((r): r is string => typeof r === 'string') } : {}),
  };
}

async function readOne(path: string, name: string): Promise<FileEvent[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new EventFileError(`${name}: ${error instanceof SyntaxError ? `not JSON (${error.message})` : String(error)}`);
  }
  if (Array.isArray(parsed)) return parsed.map((item, index) => ({ origin: `${name}[${index}]`, entry: toPutEventsEntry(item, `${name}[${index}]`) }));
  return [{ origin: name, entry: toPutEventsEntry(parsed, name) }];
}

/** Every event of a file, or of the `.json` files of a directory in name order. */
export async function readEventsFrom(path: string): Promise<FileEvent[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new EventFileError(`${path}: no such file or directory`);
  }
  if (!info.isDirectory()) return readOne(path, path);
  const files = (await readdir(path)).filter((file) => file.endsWith('.json')).sort();
  if (files.length === 0) throw new EventFileError(`${path}: the directory holds no .json files`);
  return (await Promise.all(files.map((file) => readOne(join(path, file), file)))).flat();
}
