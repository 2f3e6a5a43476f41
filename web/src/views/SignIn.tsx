/** Sign-in: the local API key, or a button to the Cognito hosted UI. */
import { useState } from 'preact/hooks';
import type { Lang } from '../i18n/strings.ts';
import { useI18n } from './i18n-context.ts';

export function SignIn({ auth, problem, onSignIn, lang, onLang, waiting }: {
  auth: 'api-key' | 'cognito'; problem: string | null; onSignIn: (key?: string) => Promise<void>; lang: Lang; onLang: (lang: Lang) => void; waiting: boolean;
}) {
  const { t } = useI18n();
  const [key, setKey] = useState('');
  return (
    <main id="main" class="sign-in">
      <header class="top">
        <h1>{t.appTitle}</h1>
        <button type="button" id="language-switch" lang={lang === 'en' ? 'ar' : 'en'} title={t.languageLabel} onClick={() => onLang(lang === 'en' ? 'ar' : 'en')}>{t.language}</button>
      </header>
      {problem === null ? null : <p role="alert" class="error">{problem}</p>}
      {waiting ? <p role="status">{t.loading}</p> : auth === 'cognito' ? (
        <button type="button" class="primary" onClick={() => void onSignIn()}>{t.signInCognito}</button>
      ) : (
        <form onSubmit={(event) => { event.preventDefault(); void onSignIn(key); }}>
          <label for="api-key">{t.apiKey}</label>
          <input id="api-key" type="password" autoComplete="off" aria-describedby="api-key-hint" value={key} onInput={(event) => setKey((event.currentTarget as HTMLInputElement).value)} required />
          <p id="api-key-hint" class="hint">{t.apiKeyHint}</p>
          <button type="submit" class="primary">{t.signIn}</button>
        </form>
      )}
    </main>
  );
}
