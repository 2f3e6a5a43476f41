/**
 * The position tracker table, shaped by functions/adapters/dynamodb/table-definition.ts (the
 * local runtime creates the same table from it).
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { GSI1, TABLE_KEYS } from '../../functions/adapters/dynamodb/table-definition.ts';
import type { TableBinding } from './tracker-function.ts';

export interface TrackerTableProps {
  /** Deletion protection on, and the table kept when the stack goes (every stage but dev). */
  retainData: boolean;
}

export class TrackerTable extends Construct implements TableBinding {
  readonly table: Table;
  readonly tableName: string;
  readonly tableArn: string;
  readonly indexArns: readonly string[];

  constructor(scope: Construct, id: string, { retainData }: TrackerTableProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      // A newsroom's traffic follows the news: idle for days, then a summit. On-demand has no
      // capacity to size and costs nothing while idle.
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The AWS-managed key (aws/dynamodb): encrypted with a KMS key in this account and audited
      // in CloudTrail, without a key policy to maintain or $1/month per stage. The content is
      // published statements; a customer-managed key would only add value for cross-account
      // access or crypto-shredding, neither of which the tracker needs.
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: retainData,
      removalPolicy: retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: GSI1.indexName,
      partitionKey: { name: GSI1.partitionKey, type: AttributeType.STRING },
      sortKey: { name: GSI1.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
    this.tableName = this.table.tableName;
    this.tableArn = this.table.tableArn;
    this.indexArns = [`${this.table.tableArn}/index/${GSI1.indexName}`];
  }
}
