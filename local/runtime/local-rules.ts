/**
 * Rules that exist only locally, on the tracker's outbound events: the console prints each one,
 * and with `--alerts-webhook` each alert is POSTed there.
 */
import { detailTypes } from '../../events/catalog.ts';
import { TRACKER_SOURCE } from '../../events/common.ts';
import { ALERTS_TO_NOTIFIER } from '../../events/rules.ts';
import type { PositionReader } from '../../functions/application/read-model.ts';
import type { LocalEventBus } from '../bus/local-event-bus.ts';
import type { Output } from '../console/terminal.ts';
import { createAlertWebhook, type AlertWebhook } from '../delivery/alert-webhook.ts';
import { describeOutbound, registryNames } from './console-report.ts';

export function addLocalRules(bus: LocalEventBus, reader: PositionReader, output: Output, alertsWebhook: string | undefined): AlertWebhook | undefined {
  const names = registryNames(reader);
  bus.addRule({
    name: 'LocalConsole',
    // Every event the tracker publishes; a local rule only, nothing in AWS prints them.
    pattern: { source: [TRACKER_SOURCE], 'detail-type': detailTypes('outbound') },
    target: async (event) => output.line(describeOutbound(event, await names())),
  });
  if (alertsWebhook === undefined) return undefined;
  const webhook = createAlertWebhook({ url: alertsWebhook, output });
  bus.addRule({ name: 'LocalAlertsWebhook', pattern: ALERTS_TO_NOTIFIER.pattern, target: (event) => webhook.deliver(event) });
  return webhook;
}
