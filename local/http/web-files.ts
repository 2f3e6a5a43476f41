/**
 * The web app's static files on the local server, as CloudFront serves them in AWS: public (the
 * files hold no data; the API behind them asks for the key), `GET /` for index.html and
 * `GET /app/*` for the rest, every answer with the content security policy, `nosniff` and a
 * UTF-8 content type, and `GET /config.json` telling the app where the API is and how to sign in
 * (here: the same origin, with the key the page's URL fragment carries). Nothing outside the folder
 * is reachable: a path is decoded, normalised and refused unless it stays inside.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { webAppContentSecurityPolicy } from '../../functions/shared/web-app-policy.ts';

export interface WebFileResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer;
}

export const WEB_APP_PREFIX = '/app/';
export const WEB_CONFIG_PATH = '/config.json';

/** What the app reads at start; locally the API is its own origin and the key is the sign-in. */
export const LOCAL_WEB_CONFIG = { apiUrl: '', auth: { type: 'api-key' } } as const;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export const WEB_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': webAppContentSecurityPolicy(),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** Whether the path is the web app's (answered without the key). */
export const isWebPath = (rawPath: string): boolean => rawPath === '/' || rawPath === '/index.html' || rawPath === WEB_CONFIG_PATH || rawPath.startsWith(WEB_APP_PREFIX);

const text = (statusCode: number, message: string, extra: Record<string, string> = {}): WebFileResponse => ({
  statusCode,
  headers: { ...WEB_SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...extra },
  body: Buffer.from(`${message}\n`, 'utf8'),
});

/** The file a path names inside `root`, or undefined when it would leave it (`..`, an encoded slash or NUL). */
export const webFileFor = (root: string, rawPath: string): string | undefined => {
  // `/app/x` is the file `app/x` of the folder, as in the app's bucket behind CloudFront: one tree, served alike.
  const relative = rawPath === '/' || rawPath === '/index.html' ? 'index.html' : rawPath.slice(1);
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return undefined;
  }
  if (decoded === '' || decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').some((segment) => segment === '..' || segment === '.')) return undefined;
  const base = resolve(root);
  const file = resolve(base, decoded);
  return file.startsWith(base + sep) ? file : undefined;
};

/** The answer to a web app path; a HEAD's body is dropped by the caller. */
export const serveWebFile = async (method: string, rawPath: string, root: string): Promise<WebFileResponse> => {
  if (method !== 'GET' && method !== 'HEAD') return text(405, 'the web app is read with GET or HEAD', { allow: 'GET, HEAD' });
  if (rawPath === WEB_CONFIG_PATH) {
    return { statusCode: 200, headers: { ...WEB_SECURITY_HEADERS, 'content-type': CONTENT_TYPES['.json']!, 'cache-control': 'no-store' }, body: Buffer.from(JSON.stringify(LOCAL_WEB_CONFIG)) };
  }
  const file = webFileFor(root, rawPath);
  if (file === undefined) return text(400, `refused: ${rawPath} does not name a file of the web app`);
  try {
    if (!(await stat(file)).isFile()) return text(404, `no file at ${rawPath}`);
    const body = await readFile(file);
    return { statusCode: 200, headers: { ...WEB_SECURITY_HEADERS, 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' }, body };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return text(404, `no file at ${rawPath}`);
    throw error;
  }
};
