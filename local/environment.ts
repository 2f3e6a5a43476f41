/**
 * Process settings of the local runtime, imported first so they hold before any handler module
 * (and the Powertools and X-Ray SDK modules behind it) is loaded. Each is a documented switch,
 * set only when the developer has not set it.
 */

// The X-Ray SDK, loaded by the Powertools tracer, otherwise installs an async hook on import
// that tracks every promise of the process: a local run makes the processor ~10x slower on
// promise-heavy paths, and nothing locally receives traces.
process.env['AWS_XRAY_MANUAL_MODE'] ??= 'true';
process.env['POWERTOOLS_TRACE_ENABLED'] ??= 'false';
// EMF metrics only mean something to CloudWatch; printed locally they would drown the console.
process.env['POWERTOOLS_METRICS_DISABLED'] ??= 'true';

export {};
