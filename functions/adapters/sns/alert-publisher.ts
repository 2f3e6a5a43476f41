/**
 * Publishes formatted alerts to the SNS topic people subscribe to, with the attributes their filter
 * policies match and the alert's id (`alertId`), which a subscriber can deduplicate on.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { AlertTopic } from '../../application/notify-alert.ts';

export const createSnsAlertTopic = (client: SNSClient, topicArn: string): AlertTopic => ({
  async publish(message) {
    const result = await client.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: message.subject,
        Message: message.message,
        MessageAttributes: { ...message.attributes, alertId: { DataType: 'String', StringValue: message.alertId } },
      }),
    );
    return { messageId: result.MessageId };
  },
});
