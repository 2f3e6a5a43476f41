/**
 * The app shell: reads config.json, signs in (the local API key, from the sign-in form or the
 * `#key=` link; or the Cognito hosted UI), asks /me for the role, and shows the dashboard or the
 * desk in English or Arabic, the whole layout mirrored for Arabic.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient, ApiError } from '../api/client.ts';
import type { Me } from '../api/types.ts';
import { adoptApiKey, forgetApiKey, rememberApiKey } from '../auth/api-key.ts';
import { authorizeUrl, completeSignIn, forgetToken, signOutUrl } from '../auth/cognito.ts';
import { loadConfig, type AppConfig } from '../auth/config.ts';
import { STRINGS, type Lang } from '../i18n/strings.ts';
import { Dashboard } from './Dashboard.tsx';
import { Desk } from './Desk.tsx';
import { I18nContext, useI18n } from './i18n-context.ts';
import { SignIn } from './SignIn.tsx';
import { useTracker } from './use-tracker.ts';

const LANG_KEY = 'tracker.lang';

const initialLang = (): Lang => (localStorage.getItem(LANG_KEY) === 'ar' ? 'ar' : 'en');

function useDocumentLanguage(lang: Lang): void {
  useEffect(() => {
    const root = document.documentElement;
    root.lang = lang;
    root.dir = lang === 'ar' ? 'rtl' : 'ltr';
    document.title = STRINGS[lang].appTitle;
    localStorage.setItem(LANG_KEY, lang);
  }, [lang]);
}

type View = 'dashboard' | 'desk';

function SignedIn({ client, me, onSignOut, lang, onLang }: { client: ApiClient; me: Me; onSignOut: () => void; lang: Lang; onLang: (lang: Lang) => void }) {
  const { t } = useI18n();
  const [view, setView] = useState<View>('dashboard');
  const [asOf, setAsOf] = useState<string | null>(null);
  const data = useTracker(client, asOf);
  return (
    <>
      <header class="top">
        <h1>{t.appTitle}</h1>
        <nav aria-label={t.appTitle} class="views">
          <button type="button" aria-current={view === 'dashboard' ? 'page' : undefined} onClick={() => setView('dashboard')} id="nav-dashboard">{t.dashboard}</button>
          <button type="button" aria-current={view === 'desk' ? 'page' : undefined} onClick={() => setView('desk')} id="nav-desk" disabled={me.role !== 'editor'}>{t.desk}</button>
        </nav>
        <div class="session">
          <span>{t.signedInAs} {me.role === 'editor' ? t.roleEditor : t.roleReader}</span>
          <button type="button" id="language-switch" lang={lang === 'en' ? 'ar' : 'en'} title={t.languageLabel} onClick={() => onLang(lang === 'en' ? 'ar' : 'en')}>{t.language}</button>
          <button type="button" onClick={onSignOut}>{t.signOut}</button>
        </div>
      </header>
      <main id="main">
        {view === 'dashboard' ? (
          <Dashboard client={client} data={data} asOf={asOf} onAsOf={setAsOf} />
        ) : (
          <Desk client={client} role={me.role} context={{ registry: data.registry, issues: data.issues }} />
        )}
      </main>
    </>
  );
}

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [config, setConfig] = useState<AppConfig | null>(null);
  const [token, setToken] = useState<string | null>(null);
  const [me, setMe] = useState<Me | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useDocumentLanguage(lang);

  useEffect(() => {
    loadConfig()
      .then(async (loaded) => {
        setConfig(loaded);
        const found = loaded.auth.type === 'api-key'
          ? adoptApiKey(window.location, window.history, sessionStorage)
          : await completeSignIn(loaded.auth, window.location, window.history, sessionStorage);
        setToken(found);
      })
      .catch((error: unknown) => setProblem(error instanceof Error ? error.message : String(error)));
  }, []);

  const signOut = (): void => {
    forgetApiKey(sessionStorage);
    forgetToken(sessionStorage);
    setMe(null);
    setToken(null);
    if (config?.auth.type === 'cognito') window.location.assign(signOutUrl(config.auth, window.location));
  };

  const client = useMemo(
    () => (config === null || token === null ? null : new ApiClient({ baseUrl: config.apiUrl, token: () => token })),
    [config, token],
  );

  useEffect(() => {
    if (client === null) return;
    client.me().then(setMe).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 401) {
        forgetApiKey(sessionStorage);
        forgetToken(sessionStorage);
        setToken(null);
      }
      setProblem(error instanceof Error ? error.message : String(error));
    });
  }, [client]);

  const i18n = useMemo(() => ({ lang, t: STRINGS[lang] }), [lang]);
  const signIn = async (key?: string): Promise<void> => {
    setProblem(null);
    if (config?.auth.type === 'cognito') window.location.assign(await authorizeUrl(config.auth, window.location, sessionStorage));
    else if (key !== undefined) {
      rememberApiKey(sessionStorage, key);
      setToken(key.trim());
    }
  };
  return (
    <I18nContext.Provider value={i18n}>
      {client !== null && me !== null ? (
        <SignedIn client={client} me={me} onSignOut={signOut} lang={lang} onLang={setLang} />
      ) : config === null && problem === null ? (
        <p class="loading" role="status">{i18n.t.loading}</p>
      ) : (
        <SignIn auth={config?.auth.type ?? 'api-key'} problem={problem} onSignIn={signIn} lang={lang} onLang={setLang} waiting={token !== null && problem === null} />
      )}
    </I18nContext.Provider>
  );
}
