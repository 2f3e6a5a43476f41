/** Environment variable names, shared by the CDK constructs that set them and the functions that read them. */
export const ENV = {
  tableName: 'TRACKER_TABLE_NAME',
  eventBusName: 'TRACKER_EVENT_BUS_NAME',
  alertTopicArn: 'ALERT_TOPIC_ARN',
  slackWebhookSecretArn: 'SLACK_WEBHOOK_SECRET_ARN',
  snapshotBucket: 'SNAPSHOT_BUCKET_NAME',
  feedsBucket: 'FEEDS_BUCKET_NAME',
  feedsToken: 'FEEDS_TOKEN',
  feedsBaseUrl: 'FEEDS_BASE_URL',
  stage: 'TRACKER_STAGE',
  registrySources: 'TRACKER_REGISTRY_SOURCES',
  apiScopes: 'TRACKER_API_SCOPES',
} as const;
