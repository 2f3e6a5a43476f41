/**
 * Just enough of SQS (its JSON protocol) to watch what SNS delivers in moto: create a queue, read
 * its ARN, receive what arrived. `@aws-sdk/client-sqs` is not a dependency of the project, and moto
 * does not check signatures, so plain HTTP is enough here.
 */
export interface MotoQueue {
  name: string;
  url: string;
  arn: string;
}

export interface ReceivedMessage {
  MessageId: string;
  Body: string;
}

const call = async <T>(endpoint: string, action: string, body: object): Promise<T> => {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${action}`,
      // moto reads the region from the credential scope; the signature itself is not checked.
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`SQS ${action} failed (${response.status}): ${text}`);
  return (text === '' ? {} : JSON.parse(text)) as T;
};

export const createQueue = async (endpoint: string, name: string): Promise<MotoQueue> => {
  const { QueueUrl } = await call<{ QueueUrl: string }>(endpoint, 'CreateQueue', { QueueName: name });
  const { Attributes } = await call<{ Attributes: { QueueArn: string } }>(endpoint, 'GetQueueAttributes', {
    QueueUrl,
    AttributeNames: ['QueueArn'],
  });
  return { name, url: QueueUrl, arn: Attributes.QueueArn };
};

/** Everything currently in the queue (moto delivers SNS → SQS synchronously, so no waiting is needed). */
export const receiveAll = async (endpoint: string, queue: MotoQueue): Promise<ReceivedMessage[]> => {
  const received: ReceivedMessage[] = [];
  for (;;) {
    const { Messages = [] } = await call<{ Messages?: ReceivedMessage[] }>(endpoint, 'ReceiveMessage', {
      QueueUrl: queue.url,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
      VisibilityTimeout: 60,
    });
    if (Messages.length === 0) return received;
    received.push(...Messages);
  }
};
