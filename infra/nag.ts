/**
 * cdk-nag 3 acknowledgments (CDK's Validations API). Each names one finding exactly, with the
 * reason it is acceptable, next to the code that causes it.
 */
import { type Stack, Validations } from 'aws-cdk-lib';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * The id cdk-nag gives a wildcard resource in an IAM policy (`AwsSolutions-IAM5[Resource::…]`),
 * computed with its own flattening so the acknowledgment follows the ARN if a name changes. Only
 * valid for ARNs made of values of this stack (no cross-stack reference, which nag renders with
 * a CDK-generated output name).
 */
export const wildcardResourceFinding = (stack: Stack, arn: string): string =>
  `AwsSolutions-IAM5[Resource::${flattenCfnReference(stack.resolve(arn))}]`;
