/**
 * The web app's Content-Security-Policy, one definition for the local server (local/http/web-files.ts)
 * and CloudFront's response headers policy (infra/constructs/web-app.ts): scripts and styles from
 * the app's own origin only, so a quote or a name that carries markup can never run; the API and,
 * in AWS, the sign-in domain as the only places it may connect to.
 */
export const webAppContentSecurityPolicy = (connectSources: readonly string[] = []): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    ['connect-src', "'self'", ...connectSources].join(' '),
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
