/**
 * EventBridge event-pattern semantics, case by case from the EventBridge user guide: "Creating
 * event patterns", "Matching events on event field values", "Null values and empty strings",
 * "Arrays in event patterns", "Content filtering" and "Comparison operators". Where the guide is
 * silent (arrays of objects, $or nesting) the cases come from the aws/event-ruler README, the
 * matcher EventBridge runs.
 */
import { describe, expect, it } from 'vitest';
import {
  compileEventPattern,
  InvalidEventPatternError,
  matchesEventPattern,
  validateEventPattern,
} from '../../local/bus/event-pattern.ts';
import { RULES } from '../../events/rules.ts';

interface Case {
  doc: string;
  name: string;
  pattern: Record<string, unknown>;
  event: unknown;
  matches: boolean;
}

/** The EC2 state-change event of "Creating event patterns". */
const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

/** The sample event of the event-ruler README / content-filtering complex example. */
const rulerEvent = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

/** The Auto Scaling event of "Null values and empty strings" and "Matching on field values". */
const autoscalingEvent = {
  version: '0',
  id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
  'detail-type': 'EC2 Instance Launch Successful',
  source: 'aws.autoscaling',
  account: '123456789012',
  time: '2015-11-11T21:31:47Z',
  region: 'us-east-1',
  resources: [],
  detail: { eventVersion: '', responseElements: null },
};

const detail = (fields: Record<string, unknown>) => ({ ...ec2Event, detail: fields });

const cases: Case[] = [
  // --- Creating event patterns -----------------------------------------------------------------
  {
    doc: 'Creating event patterns',
    name: 'EC2 termination pattern matches the EC2 event',
    pattern: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } },
    event: ec2Event,
    matches: true,
  },
  {
    doc: 'Creating event patterns',
    name: 'a different state does not match',
    pattern: { source: ['aws.ec2'], detail: { state: ['running'] } },
    event: ec2Event,
    matches: false,
  },
  {
    doc: 'Creating event patterns',
    name: 'fields of the event not in the pattern are ignored',
    pattern: { detail: { 'instance-id': ['i-1234567890abcdef0'] } },
    event: ec2Event,
    matches: true,
  },
  {
    doc: 'Creating event patterns',
    name: 'every field of the pattern must match (AND)',
    pattern: { source: ['aws.ec2'], 'detail-type': ['Something Else'] },
    event: ec2Event,
    matches: false,
  },
  {
    doc: 'Creating event patterns',
    name: 'a field named in the pattern but missing from the event does not match',
    pattern: { detail: { reason: ['manual'] } },
    event: ec2Event,
    matches: false,
  },
  {
    doc: 'Creating event patterns',
    name: 'matching is case-sensitive',
    pattern: { source: ['AWS.EC2'] },
    event: ec2Event,
    matches: false,
  },
  {
    doc: 'Comparison operators (Or)',
    name: 'values in the array are alternatives',
    pattern: { detail: { state: ['running', 'terminated'] } },
    event: ec2Event,
    matches: true,
  },
  {
    doc: 'Comparison operators (And)',
    name: 'Location is "New York" and Day is "Monday"',
    pattern: { Location: ['New York'], Day: ['Monday'] },
    event: { Location: 'New York', Day: 'Tuesday' },
    matches: false,
  },
  {
    doc: 'Comparison operators (Equals)',
    name: 'Name is "Alice"',
    pattern: { Name: ['Alice'] },
    event: { Name: 'Alice' },
    matches: true,
  },

  // --- Matching on event field values --------------------------------------------------------
  {
    doc: 'Matching events on event field values',
    name: 'nested numeric values (severity.score and count)',
    pattern: { source: ['aws.macie'], detail: { severity: { score: [1] }, count: [2] } },
    event: { source: 'aws.macie', detail: { severity: { score: 1, description: 'Low' }, count: 2 } },
    matches: true,
  },
  {
    doc: 'Matching events on event field values',
    name: 'number in the pattern does not match the same digits as a string',
    pattern: { detail: { count: [2] } },
    event: { detail: { count: '2' } },
    matches: false,
  },
  {
    doc: 'Matching events on event field values',
    name: 'string in the pattern does not match a number',
    pattern: { detail: { count: ['2'] } },
    event: { detail: { count: 2 } },
    matches: false,
  },
  {
    doc: 'Matching events on event field values',
    name: 'numbers compare as numbers: 300 matches 300.0',
    pattern: { detail: { limit: [300] } },
    event: JSON.parse('{"detail":{"limit":300.0}}'),
    matches: true,
  },
  {
    doc: 'Matching events on event field values',
    name: 'booleans match booleans',
    pattern: { detail: { enabled: [true] } },
    event: { detail: { enabled: true } },
    matches: true,
  },
  {
    doc: 'Matching events on event field values',
    name: 'true does not match the string "true"',
    pattern: { detail: { enabled: [true] } },
    event: { detail: { enabled: 'true' } },
    matches: false,
  },

  // --- Null values and empty strings ---------------------------------------------------------
  {
    doc: 'Null values and empty strings',
    name: '[""] matches an empty string',
    pattern: { detail: { eventVersion: [''] } },
    event: autoscalingEvent,
    matches: true,
  },
  {
    doc: 'Null values and empty strings',
    name: '[null] matches a null value',
    pattern: { detail: { responseElements: [null] } },
    event: autoscalingEvent,
    matches: true,
  },
  {
    doc: 'Null values and empty strings',
    name: 'an empty-string pattern does not match null',
    pattern: { detail: { responseElements: [''] } },
    event: autoscalingEvent,
    matches: false,
  },
  {
    doc: 'Null values and empty strings',
    name: 'a null pattern does not match an empty string',
    pattern: { detail: { eventVersion: [null] } },
    event: autoscalingEvent,
    matches: false,
  },
  {
    doc: 'Null values and empty strings',
    name: 'a null pattern does not match a missing field',
    pattern: { detail: { missing: [null] } },
    event: autoscalingEvent,
    matches: false,
  },
  {
    doc: 'Comparison operators (Empty)',
    name: 'LastName is empty, "Smith" is not',
    pattern: { LastName: [''] },
    event: { LastName: 'Smith' },
    matches: false,
  },

  // --- Arrays ----------------------------------------------------------------------------------
  {
    doc: 'Arrays in event patterns',
    name: 'event array matches when the intersection is non-empty',
    pattern: {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    },
    event: {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    },
    matches: true,
  },
  {
    doc: 'Arrays in event patterns',
    name: 'event array with an empty intersection does not match',
    pattern: { resources: ['arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'] },
    event: { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] },
    matches: false,
  },
  {
    doc: 'Arrays in event patterns',
    name: 'an empty event array matches no value',
    pattern: { resources: ['arn:x'] },
    event: autoscalingEvent,
    matches: false,
  },
  {
    doc: 'Arrays in event patterns',
    name: 'operators apply to each element (prefix on an array)',
    pattern: { detail: { tags: [{ prefix: 'desk:' }] } },
    event: { detail: { tags: ['region:mena', 'desk:world'] } },
    matches: true,
  },
  {
    doc: 'event-ruler README, JSON Array Matching',
    name: 'a nested field inside an array of objects',
    pattern: { employees: { firstName: ['Anna'] } },
    event: { employees: [{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }, { firstName: 'Peter', lastName: 'Jones' }] },
    matches: true,
  },
  {
    doc: 'event-ruler README, JSON Array Matching',
    name: 'fields must match within ONE array element (Anna Jones is not an employee)',
    pattern: { employees: { firstName: ['Anna'], lastName: ['Jones'] } },
    event: { employees: [{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }, { firstName: 'Peter', lastName: 'Jones' }] },
    matches: false,
  },
  {
    doc: 'event-ruler README, JSON Array Matching',
    name: 'fields of the same element match (Anna Smith)',
    pattern: { employees: { firstName: ['Anna'], lastName: ['Smith'] } },
    event: { employees: [{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }] },
    matches: true,
  },
  {
    doc: 'event-ruler README, JSON Array Matching',
    name: 'multi-level arrays are crushed too',
    pattern: { employees: { firstName: ['Peter'], lastName: ['Jones'] } },
    event: { employees: [[{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }], [{ firstName: 'Peter', lastName: 'Jones' }]] },
    matches: true,
  },
  {
    doc: 'event-ruler README, JSON Array Matching',
    name: 'element consistency holds at depth (positions[].speaker.id with positions[].stance)',
    pattern: { detail: { positions: { speaker: { id: ['russia'] }, stance: [2] } } },
    event: { detail: { positions: [{ speaker: { id: 'russia' }, stance: -1 }, { speaker: { id: 'ukraine' }, stance: 2 }] } },
    matches: false,
  },

  // --- Prefix / suffix ---------------------------------------------------------------------------
  {
    doc: 'Content filtering: Prefix matching',
    name: 'time starting with 2017-10-02',
    pattern: { time: [{ prefix: '2017-10-02' }] },
    event: { time: '2017-10-02T18:43:48Z' },
    matches: true,
  },
  {
    doc: 'Content filtering: Prefix matching',
    name: 'another day does not match',
    pattern: { time: [{ prefix: '2017-10-02' }] },
    event: { time: '2017-10-03T18:43:48Z' },
    matches: false,
  },
  {
    doc: 'Content filtering: Prefix matching',
    name: 'prefix only works on strings',
    pattern: { detail: { code: [{ prefix: '12' }] } },
    event: { detail: { code: 123 } },
    matches: false,
  },
  {
    doc: 'Content filtering: Prefix matching while ignoring case',
    name: 'EventB matches EventBridge, EVENTBRIDGE and eventbridge',
    pattern: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] },
    event: { service: ['EVENTBRIDGE'] },
    matches: true,
  },
  {
    doc: 'Content filtering: Prefix matching while ignoring case',
    name: 'still a prefix: "Amazon EventBridge" does not match',
    pattern: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] },
    event: { service: 'Amazon EventBridge' },
    matches: false,
  },
  {
    doc: 'Content filtering: Suffix matching',
    name: 'FileName ending with .png',
    pattern: { FileName: [{ suffix: '.png' }] },
    event: { FileName: 'image.png' },
    matches: true,
  },
  {
    doc: 'Content filtering: Suffix matching',
    name: 'suffix is case-sensitive (.PNG)',
    pattern: { FileName: [{ suffix: '.png' }] },
    event: { FileName: 'image.PNG' },
    matches: false,
  },
  {
    doc: 'Content filtering: Suffix matching',
    name: 'suffix must be at the end (.png.txt)',
    pattern: { FileName: [{ suffix: '.png' }] },
    event: { FileName: 'image.png.txt' },
    matches: false,
  },
  {
    doc: 'Content filtering: Suffix matching while ignoring case',
    name: '.png matches image.PNG',
    pattern: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] },
    event: { FileName: 'image.PNG' },
    matches: true,
  },

  // --- Equals-ignore-case ----------------------------------------------------------------------
  {
    doc: 'Content filtering: Equals-ignore-case matching',
    name: 'detail-type in lower case matches',
    pattern: { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] },
    event: ec2Event,
    matches: true,
  },
  {
    doc: 'Comparison operators (Equals, ignore case)',
    name: '"alice" does not match "Alicia"',
    pattern: { Name: [{ 'equals-ignore-case': 'alice' }] },
    event: { Name: 'Alicia' },
    matches: false,
  },
  {
    doc: 'Comparison operators (Equals, ignore case)',
    name: 'non-ASCII letters fold too',
    pattern: { Name: [{ 'equals-ignore-case': 'ÉLODIE' }] },
    event: { Name: 'élodie' },
    matches: true,
  },

  // --- Wildcard --------------------------------------------------------------------------------
  {
    doc: 'Content filtering: Wildcard matching',
    name: 'EventBusArn with wildcards for account and bus',
    pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    event: { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' },
    matches: true,
  },
  {
    doc: 'Content filtering: Wildcard matching',
    name: 'literal parts must match (another region)',
    pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    event: { EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/default' },
    matches: false,
  },
  {
    doc: 'Comparison operators (Wildcard)',
    name: 'any .png file within folder dir (including sub-folders)',
    pattern: { FileName: [{ wildcard: 'dir/*.png' }] },
    event: { FileName: 'dir/sub/photo.png' },
    matches: true,
  },
  {
    doc: 'Comparison operators (Wildcard)',
    name: 'a .png outside dir does not match',
    pattern: { FileName: [{ wildcard: 'dir/*.png' }] },
    event: { FileName: 'other/photo.png' },
    matches: false,
  },
  {
    doc: 'Content filtering: Wildcard matching',
    name: '* matches zero characters',
    pattern: { FileName: [{ wildcard: '*.png' }] },
    event: { FileName: '.png' },
    matches: true,
  },
  {
    doc: 'Content filtering: Wildcard matching',
    name: 'an escaped \\* is a literal asterisk',
    pattern: { title: [{ wildcard: 'a\\*b' }] },
    event: { title: 'a*b' },
    matches: true,
  },
  {
    doc: 'Content filtering: Wildcard matching',
    name: 'an escaped \\* does not act as a wildcard',
    pattern: { title: [{ wildcard: 'a\\*b' }] },
    event: { title: 'axxb' },
    matches: false,
  },
  {
    doc: 'Content filtering: Wildcard matching',
    name: 'regular-expression characters are literal',
    pattern: { title: [{ wildcard: 'v1.0 (final)*' }] },
    event: { title: 'v1x0 (final) draft' },
    matches: false,
  },
  {
    doc: 'Content filtering: Wildcard matching',
    name: 'wildcard only works on strings',
    pattern: { count: [{ wildcard: '*' }] },
    event: { count: 5 },
    matches: false,
  },

  // --- Anything-but ----------------------------------------------------------------------------
  {
    doc: 'Content filtering: Anything-but matching',
    name: 'state anything-but "initializing" matches "running"',
    pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
    event: rulerEvent,
    matches: true,
  },
  {
    doc: 'Content filtering: Anything-but matching',
    name: 'the excluded value does not match',
    pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
    event: detail({ state: 'initializing' }),
    matches: false,
  },
  {
    doc: 'Content filtering: Anything-but matching',
    name: 'anything-but does not match a missing field',
    pattern: { detail: { reason: [{ 'anything-but': 'initializing' }] } },
    event: rulerEvent,
    matches: false,
  },
  {
    doc: 'Content filtering: Anything-but matching',
    name: 'numeric anything-but 123 matches 301.8',
    pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
    event: rulerEvent,
    matches: true,
  },
  {
    doc: 'Content filtering: Anything-but matching',
    name: 'numeric anything-but 123 does not match 123',
    pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
    event: detail({ 'x-limit': 123 }),
    matches: false,
  },
  {
    doc: 'Content filtering: Anything-but matching',
    name: 'list of strings: "stopped" is excluded',
    pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    event: detail({ state: 'stopped' }),
    matches: false,
  },
  {
    doc: 'Content filtering: Anything-but matching',
    name: 'list of strings: "running" is not excluded',
    pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    event: rulerEvent,
    matches: true,
  },
  {
    doc: 'Content filtering: Anything-but matching',
    name: 'list of numbers: 200 is excluded',
    pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    event: detail({ 'x-limit': 200 }),
    matches: false,
  },
  {
    doc: 'Content filtering: Anything-but matching',
    name: 'list of numbers: 300.0 is excluded (numeric equality)',
    pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    event: JSON.parse('{"detail":{"x-limit":300.0}}'),
    matches: false,
  },
  {
    doc: 'Content filtering: Anything-but matching on prefixes',
    name: '"running" does not start with "init"',
    pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    event: rulerEvent,
    matches: true,
  },
  {
    doc: 'Content filtering: Anything-but matching on prefixes',
    name: '"initializing" starts with "init"',
    pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    event: detail({ state: 'initializing' }),
    matches: false,
  },
  {
    doc: 'Comparison operators (Anything-but, begins with)',
    name: 'Region is not in the US',
    pattern: { Region: [{ 'anything-but': { prefix: 'us-' } }] },
    event: { Region: 'eu-west-1' },
    matches: true,
  },
  {
    doc: 'Comparison operators (Anything-but, ends with)',
    name: 'FileName not ending with .png: image.png is excluded',
    pattern: { FileName: [{ 'anything-but': { suffix: '.png' } }] },
    event: { FileName: 'image.png' },
    matches: false,
  },
  {
    doc: 'Comparison operators (Anything-but, ends with)',
    name: 'FileName not ending with .png: notes.txt matches',
    pattern: { FileName: [{ 'anything-but': { suffix: '.png' } }] },
    event: { FileName: 'notes.txt' },
    matches: true,
  },
  {
    doc: 'Comparison operators (Anything-but, ignore case)',
    name: '"INITIALIZING" is excluded by equals-ignore-case "initializing"',
    pattern: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
    event: { state: 'INITIALIZING' },
    matches: false,
  },
  {
    doc: 'Comparison operators (Anything-but, ignore case)',
    name: 'a list of values ignoring case: "Running" matches',
    pattern: { state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }] },
    event: { state: 'Running' },
    matches: true,
  },
  {
    doc: 'Comparison operators (Anything-but, ignore case)',
    name: 'a list of values ignoring case: "STOPPED" is excluded',
    pattern: { state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }] },
    event: { state: 'STOPPED' },
    matches: false,
  },
  {
    doc: 'Comparison operators (Anything-but using a wildcard)',
    name: 'a path including /lib/ is excluded',
    pattern: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
    event: { FilePath: '/usr/lib/libc.so' },
    matches: false,
  },
  {
    doc: 'Comparison operators (Anything-but using a wildcard)',
    name: 'a path without /lib/ matches',
    pattern: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
    event: { FilePath: '/usr/bin/env' },
    matches: true,
  },
  {
    doc: 'Comparison operators (Anything-but using a wildcard)',
    name: 'a list of wildcards: /usr/bin/env is excluded by */bin/*',
    pattern: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] },
    event: { FilePath: '/usr/bin/env' },
    matches: false,
  },
  {
    doc: 'Arrays in event patterns + Anything-but',
    name: 'an event array matches when any element is not excluded',
    pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
    event: detail({ state: ['initializing', 'running'] }),
    matches: true,
  },
  {
    doc: 'Arrays in event patterns + Anything-but',
    name: 'an event array whose elements are all excluded does not match',
    pattern: { detail: { state: [{ 'anything-but': ['initializing', 'running'] }] } },
    event: detail({ state: ['initializing', 'running'] }),
    matches: false,
  },
  {
    doc: 'Comparison operators (Not)',
    name: 'Weather is anything but "Raining"',
    pattern: { Weather: [{ 'anything-but': ['Raining'] }] },
    event: { Weather: 'Sunny' },
    matches: true,
  },
  {
    doc: 'Comparison operators (Not)',
    name: 'anything-but a source, as the processor rule uses it',
    pattern: { source: [{ 'anything-but': ['position-tracker'] }], 'detail-type': ['Statement Recorded'] },
    event: { source: 'position-tracker', 'detail-type': 'Statement Recorded', detail: {} },
    matches: false,
  },

  // --- Numeric ---------------------------------------------------------------------------------
  {
    doc: 'Content filtering: Numeric matching',
    name: 'c-count > 0 and <= 5, d-count < 10, x-limit = 3.018e2 on the sample event',
    pattern: {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    },
    event: rulerEvent,
    matches: true,
  },
  {
    doc: 'Content filtering: Numeric matching',
    name: 'the lower bound is open: c-count 0 does not match',
    pattern: { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } },
    event: detail({ 'c-count': 0 }),
    matches: false,
  },
  {
    doc: 'Content filtering: Numeric matching',
    name: 'the upper bound is closed: c-count 5 matches, 5.000001 does not',
    pattern: { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } },
    event: detail({ 'c-count': 5.000001 }),
    matches: false,
  },
  {
    doc: 'Content filtering: Numeric matching',
    name: 'numeric matching only works on JSON numbers ("3" is a string)',
    pattern: { detail: { 'd-count': [{ numeric: ['<', 10] }] } },
    event: detail({ 'd-count': '3' }),
    matches: false,
  },
  {
    doc: 'Content filtering: Numeric matching',
    name: 'numeric on a missing field does not match',
    pattern: { detail: { 'e-count': [{ numeric: ['>=', 0] }] } },
    event: rulerEvent,
    matches: false,
  },
  {
    doc: 'Comparison operators (Numeric, equals)',
    name: 'Price is 100 (100.0 in the event)',
    pattern: { Price: [{ numeric: ['=', 100] }] },
    event: JSON.parse('{"Price":100.0}'),
    matches: true,
  },
  {
    doc: 'Comparison operators (Numeric, range)',
    name: 'Price more than 10 and at most 20: 10 does not match',
    pattern: { Price: [{ numeric: ['>', 10, '<=', 20] }] },
    event: { Price: 10 },
    matches: false,
  },
  {
    doc: 'Comparison operators (Numeric, range)',
    name: 'Price more than 10 and at most 20: 20 matches',
    pattern: { Price: [{ numeric: ['>', 10, '<=', 20] }] },
    event: { Price: 20 },
    matches: true,
  },
  {
    doc: 'Comparison operators (Numeric, range)',
    name: '>= and < bounds',
    pattern: { Price: [{ numeric: ['>=', -2, '<', 0] }] },
    event: { Price: -2 },
    matches: true,
  },

  // --- IP address ------------------------------------------------------------------------------
  {
    doc: 'Content filtering: IP address matching',
    name: '10.0.0.0/24 contains 10.0.0.33',
    pattern: { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } },
    event: rulerEvent,
    matches: true,
  },
  {
    doc: 'Content filtering: IP address matching',
    name: '10.0.0.0/24 contains 10.0.0.255',
    pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    event: { detail: { sourceIPAddress: '10.0.0.255' } },
    matches: true,
  },
  {
    doc: 'Content filtering: IP address matching',
    name: '10.0.0.0/24 does not contain 10.0.1.1',
    pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    event: { detail: { sourceIPAddress: '10.0.1.1' } },
    matches: false,
  },
  {
    doc: 'Content filtering: IP address matching',
    name: 'IPv6: 2001:db8::/64 contains a fully written address',
    pattern: { detail: { sourceIPAddress: [{ cidr: '2001:db8::/64' }] } },
    event: { detail: { sourceIPAddress: '2001:0db8:0000:0000:ffff:0000:0000:0001' } },
    matches: true,
  },
  {
    doc: 'Content filtering: IP address matching',
    name: 'IPv6: 2001:db8::/64 does not contain 2001:db8:0:1::1',
    pattern: { detail: { sourceIPAddress: [{ cidr: '2001:db8::/64' }] } },
    event: { detail: { sourceIPAddress: '2001:db8:0:1::1' } },
    matches: false,
  },
  {
    doc: 'Content filtering: IP address matching',
    name: 'an IPv4 block never contains an IPv6 address',
    pattern: { detail: { sourceIPAddress: [{ cidr: '0.0.0.0/0' }] } },
    event: { detail: { sourceIPAddress: '::1' } },
    matches: false,
  },
  {
    doc: 'Content filtering: IP address matching',
    name: 'a value that is not an IP address does not match',
    pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/8' }] } },
    event: { detail: { sourceIPAddress: 'ec2.amazonaws.com' } },
    matches: false,
  },

  // --- Exists ----------------------------------------------------------------------------------
  {
    doc: 'Content filtering: Exists matching',
    name: 'exists: true matches an event that has detail.state',
    pattern: { detail: { state: [{ exists: true }] } },
    event: ec2Event,
    matches: true,
  },
  {
    doc: 'Content filtering: Exists matching',
    name: 'exists: true does not match an event without detail.state',
    pattern: { detail: { state: [{ exists: true }] } },
    event: detail({ 'c-count': { c1: 100 } }),
    matches: false,
  },
  {
    doc: 'Content filtering: Exists matching',
    name: 'exists: false matches an event without detail.c-count',
    pattern: { detail: { 'c-count': [{ exists: false }] } },
    event: detail({ state: ['initializing', 'running'] }),
    matches: true,
  },
  {
    doc: 'Content filtering: Exists matching',
    name: 'exists: false on a non-leaf: c-count holding an object does not exist as a leaf',
    pattern: { detail: { 'c-count': [{ exists: false }] } },
    event: detail({ state: ['initializing', 'running'], 'c-count': { c1: 100 } }),
    matches: true,
  },
  {
    doc: 'Content filtering: Exists matching',
    name: 'exists: false does not match a present field',
    pattern: { detail: { state: [{ exists: false }] } },
    event: ec2Event,
    matches: false,
  },
  {
    doc: 'Content filtering: Exists matching',
    name: 'a field whose value is null exists',
    pattern: { detail: { responseElements: [{ exists: true }] } },
    event: autoscalingEvent,
    matches: true,
  },
  {
    doc: 'Content filtering: Exists matching',
    name: 'an empty array does not exist',
    pattern: { resources: [{ exists: true }] },
    event: autoscalingEvent,
    matches: false,
  },
  {
    doc: 'Content filtering: Exists matching',
    name: 'exists: false matches an empty array',
    pattern: { resources: [{ exists: false }] },
    event: autoscalingEvent,
    matches: true,
  },
  {
    doc: 'Content filtering: Exists matching',
    name: 'an empty object does not exist',
    pattern: { detail: { extra: [{ exists: true }] } },
    event: { detail: { extra: {} } },
    matches: false,
  },
  {
    doc: 'Content filtering: Exists matching',
    name: 'exists: false under a missing parent matches',
    pattern: { detail: { meta: { origin: [{ exists: false }] } } },
    event: ec2Event,
    matches: true,
  },
  {
    doc: 'Comparison operators (Exists)',
    name: 'an empty string exists',
    pattern: { ProductName: [{ exists: true }] },
    event: { ProductName: '' },
    matches: true,
  },

  // --- $or -------------------------------------------------------------------------------------
  {
    doc: 'Content filtering: Matching on multiple fields ($or)',
    name: 'any one of c-count / d-count / x-limit is enough',
    pattern: {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    },
    event: detail({ 'c-count': 50, 'd-count': 3, 'x-limit': 1 }),
    matches: true,
  },
  {
    doc: 'Content filtering: Matching on multiple fields ($or)',
    name: 'no branch matching means no match',
    pattern: {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    },
    event: detail({ 'c-count': 50, 'd-count': 30, 'x-limit': 1 }),
    matches: false,
  },
  {
    doc: 'Comparison operators (Or, multiple fields)',
    name: 'Location is "New York", or Day is "Monday"',
    pattern: { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] },
    event: { Location: 'Boston', Day: 'Monday' },
    matches: true,
  },
  {
    doc: 'event-ruler README, "$or" primitive',
    name: 'source AND (metricName OR namespace): source must still match',
    pattern: { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] },
    event: { source: 'aws.ec2', namespace: 'AWS/EC2' },
    matches: false,
  },
  {
    doc: 'event-ruler README, "$or" primitive',
    name: 'parallel $or at two levels must both be satisfied',
    pattern: {
      $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
      detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
    },
    event: { namespace: 'AWS/EC2', detail: { 'detail-type': 'CloudWatch Alarm State Change' } },
    matches: true,
  },
  {
    doc: 'event-ruler README, "$or" primitive',
    name: 'an $or branch is itself an AND (metricType and namespace)',
    pattern: {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2'] }, { scope: ['Service'] }],
    },
    event: { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/ES' },
    matches: false,
  },
  {
    doc: 'event-ruler README, "$or" primitive',
    name: 'nested $or inside an $or branch',
    pattern: {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization'] },
        { metricType: ['MetricType'], namespace: ['AWS/EC2'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
      ],
    },
    event: { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 1000 },
    matches: true,
  },

  // --- Complex ---------------------------------------------------------------------------------
  {
    doc: 'Content filtering: Complex example with multiple matching',
    name: 'prefix, anything-but, numeric and cidr together on the sample event',
    pattern: {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
        'source-ip': [{ cidr: '10.0.0.0/8' }],
      },
    },
    event: rulerEvent,
    matches: true,
  },
  {
    doc: 'Content filtering: Complex example with multiple matching',
    name: 'a key given twice: the last one is used',
    pattern: JSON.parse('{"detail":{"location":[{"prefix":"us-"}],"location":[{"anything-but":"us-east"}]}}') as Record<string, unknown>,
    event: { detail: { location: 'eu-west' } },
    matches: true,
  },
];

describe('matchesEventPattern (EventBridge user guide examples)', () => {
  it.each(cases)('$doc: $name', ({ pattern, event, matches }) => {
    expect(validateEventPattern(pattern)).toBeNull();
    expect(matchesEventPattern(pattern, event)).toBe(matches);
  });

  it('has a case for every documented operator', () => {
    const operators = new Set<string>();
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(collect);
      else if (typeof value === 'object' && value !== null) {
        for (const [key, inner] of Object.entries(value)) {
          operators.add(key);
          collect(inner);
        }
      }
    };
    cases.forEach((c) => collect(c.pattern));
    for (const operator of ['prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'anything-but', 'numeric', 'exists', 'cidr', '$or']) {
      expect(operators).toContain(operator);
    }
    expect(cases.length).toBeGreaterThanOrEqual(80);
  });
});

interface InvalidCase {
  name: string;
  pattern: unknown;
  reason: RegExp;
}

const invalid: InvalidCase[] = [
  { name: 'a pattern that is not an object', pattern: ['aws.ec2'], reason: /Filter is not an object/ },
  { name: 'null', pattern: null, reason: /Filter is not an object/ },
  { name: 'an empty pattern', pattern: {}, reason: /Empty objects are not allowed/ },
  { name: 'a leaf value that is not an array', pattern: { source: 'aws.ec2' }, reason: /"source" must be an object or an array/ },
  { name: 'an empty value array', pattern: { source: [] }, reason: /Empty arrays are not allowed/ },
  { name: 'a nested array as a value', pattern: { source: [['aws.ec2']] }, reason: /Match value must be String, number, true, false, or null/ },
  { name: 'an unknown operator', pattern: { source: [{ contains: 'ec2' }] }, reason: /Unrecognized match type contains/ },
  { name: 'two operators in one object', pattern: { source: [{ prefix: 'a', suffix: 'b' }] }, reason: /Only one key allowed/ },
  { name: 'a prefix that is not a string', pattern: { source: [{ prefix: 1 }] }, reason: /prefix match pattern must be a string/ },
  { name: 'exists that is not a boolean', pattern: { source: [{ exists: 'true' }] }, reason: /exists match pattern must be either true or false/ },
  { name: 'anything-but mixing strings and numbers', pattern: { a: [{ 'anything-but': ['x', 1] }] }, reason: /mixed type is not supported/ },
  { name: 'anything-but with a boolean', pattern: { a: [{ 'anything-but': true }] }, reason: /anything-but must be an array or single string\/number/ },
  { name: 'anything-but with an unsupported operator', pattern: { a: [{ 'anything-but': { numeric: ['>', 1] } }] }, reason: /Unsupported anything-but pattern: numeric/ },
  { name: 'anything-but with an empty prefix', pattern: { a: [{ 'anything-but': { prefix: '' } }] }, reason: /Null prefix\/suffix not allowed/ },
  { name: 'numeric with an unknown operator', pattern: { a: [{ numeric: ['!=', 1] }] }, reason: /Unrecognized numeric range operator: !=/ },
  { name: 'numeric with a string bound', pattern: { a: [{ numeric: ['>', '1'] }] }, reason: /Value of > must be numeric/ },
  { name: 'numeric with an inverted range', pattern: { a: [{ numeric: ['>', 5, '<', 1] }] }, reason: /Bottom must be less than top/ },
  { name: 'numeric with too many terms', pattern: { a: [{ numeric: ['=', 1, '<', 2] }] }, reason: /Too many elements/ },
  { name: 'cidr without a mask', pattern: { ip: [{ cidr: '10.0.0.1' }] }, reason: /one '\/' required/ },
  { name: 'cidr with a bad address', pattern: { ip: [{ cidr: '10.0.0.256/24' }] }, reason: /Invalid IP address/ },
  { name: 'cidr with a mask that is too long', pattern: { ip: [{ cidr: '10.0.0.0/33' }] }, reason: /mask bits/ },
  { name: 'consecutive wildcard characters', pattern: { a: [{ wildcard: 'a**b' }] }, reason: /Consecutive wildcard characters/ },
  { name: 'a backslash escaping something else than * or \\', pattern: { a: [{ wildcard: 'a\\b' }] }, reason: /backslash/ },
  { name: '$or with a single branch', pattern: { $or: [{ a: ['x'] }] }, reason: /at least 2 Objects/ },
  { name: '$or that is not an array', pattern: { $or: { a: ['x'] } }, reason: /must be an Array/ },
  { name: 'an operator name as a field inside $or', pattern: { $or: [{ numeric: [123] }, { prefix: ['abc'] }] }, reason: /reserved field name/ },
];

describe('validateEventPattern (InvalidEventPatternException)', () => {
  it.each(invalid)('rejects $name', ({ pattern, reason }) => {
    const message = validateEventPattern(pattern);
    expect(message).toMatch(/^Event pattern is not valid\. Reason: /);
    expect(message).toMatch(reason);
    expect(() => matchesEventPattern(pattern, {})).toThrow(InvalidEventPatternError);
    expect(() => compileEventPattern(pattern)).toThrow(reason);
  });

  it('accepts every rule pattern of the tracker (events/rules.ts)', () => {
    for (const rule of RULES) expect(validateEventPattern(rule.pattern), rule.name).toBeNull();
  });

  it('treats a field named like an operator outside $or as a plain field', () => {
    expect(matchesEventPattern({ detail: { prefix: ['x'] } }, { detail: { prefix: 'x' } })).toBe(true);
  });
});

describe('matchesEventPattern robustness', () => {
  it('does not match events that are not objects', () => {
    expect(matchesEventPattern({ source: ['x'] }, null)).toBe(false);
    expect(matchesEventPattern({ source: ['x'] }, 'x')).toBe(false);
  });

  it('matches Arabic text exactly, without normalisation', () => {
    const pattern = { detail: { speaker: ['وزير الخارجية'] } };
    expect(matchesEventPattern(pattern, { detail: { speaker: 'وزير الخارجية' } })).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { speaker: 'وزير  الخارجية' } })).toBe(false);
  });

  it('reuses the compiled form of a pattern object', () => {
    const pattern = { source: [{ prefix: 'news' }] };
    for (let i = 0; i < 1000; i++) expect(matchesEventPattern(pattern, { source: `newsroom-${i}` })).toBe(true);
  });
});
