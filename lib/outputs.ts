/**
 * Names of the stack's CloudFormation outputs. They are top-level stack outputs (no hashed logical ids, no exports),
 * so they stay the same across versions and `cdk deploy --outputs-file` gives scripts a stable shape.
 */
export const STACK_OUTPUTS = {
  /** Base URL of the API stage, e.g. https://abc123.execute-api.us-east-1.amazonaws.com/v1/ */
  apiUrl: 'ApiUrl',
  /** The region of the API, Rekognition and the identity pool; the browser must stream to this region. */
  region: 'Region',
  /** The Cognito identity pool that gives browsers their streaming (and, with IAM auth, API) credentials. */
  identityPoolId: 'IdentityPoolId',
  /** How API calls authenticate: iam, cognito or none. */
  authMode: 'AuthMode',
  /** The image bucket, when images are stored. */
  imageBucketName: 'ImageBucketName',
  /** The session table: owners, verdicts (README: "The verdict record") and failure lockouts. */
  sessionTableName: 'SessionTableName',
} as const;
