/**
 * Local sign-in with the runtime's API key. The runtime prints `http://127.0.0.1:3000/#key=<key>`:
 * a fragment never reaches a server or a Referer, and the app moves it into sessionStorage (gone
 * with the tab) and strips it from the address bar at once, so it is not left in history.
 */
const STORAGE_KEY = 'tracker.apiKey';

export const keyFromFragment = (hash: string): string | null => {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const key = params.get('key');
  return key === null || key.trim() === '' ? null : key.trim();
};

/** Takes `#key=` out of the URL (into the session), then answers the session's key. */
export const adoptApiKey = (location: Location, history: History, storage: Storage): string | null => {
  const fromFragment = keyFromFragment(location.hash);
  if (fromFragment !== null) {
    storage.setItem(STORAGE_KEY, fromFragment);
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  }
  return storage.getItem(STORAGE_KEY);
};

export const rememberApiKey = (storage: Storage, key: string): void => storage.setItem(STORAGE_KEY, key.trim());
export const forgetApiKey = (storage: Storage): void => storage.removeItem(STORAGE_KEY);
