/**
 * The tracker table's physical shape, shared by the CDK construct that creates it in AWS and by
 * the local runtime and tests that create it in an embedded store. Item key formats live in keys.ts.
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
} as const;

/** A generic inverted-access index: feeds that cut across partitions (alerts by time, quarantine, the change feed). */
export const GSI1 = {
  indexName: 'gsi1',
  partitionKey: 'gsi1pk',
  sortKey: 'gsi1sk',
} as const;

/** CreateTable input for the AWS SDK (on-demand billing, as in AWS). */
export const createTableInput = (tableName: string) => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST' as const,
  AttributeDefinitions: [
    { AttributeName: TABLE_KEYS.partitionKey, AttributeType: 'S' as const },
    { AttributeName: TABLE_KEYS.sortKey, AttributeType: 'S' as const },
    { AttributeName: GSI1.partitionKey, AttributeType: 'S' as const },
    { AttributeName: GSI1.sortKey, AttributeType: 'S' as const },
  ],
  KeySchema: [
    { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' as const },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: GSI1.indexName,
      KeySchema: [
        { AttributeName: GSI1.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: GSI1.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    },
  ],
});
