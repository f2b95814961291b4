export { DYNAMO_FAULTS, LOCAL_SESSION_TABLE, startLocalDynamo } from './local-dynamo';
export type { DynamoFault, LocalDynamo, LocalDynamoFaults, LocalDynamoOptions } from './local-dynamo';
