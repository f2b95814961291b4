/**
 * The Cognito identity pool that gives browsers short-lived AWS credentials for FaceLivenessDetector: exactly
 * rekognition:StartFaceLivenessSession, plus (with IAM auth) calling this API's two routes.
 */
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge, wildcardResourceFinding } from './nag';

const COGNITO_IDENTITY = 'cognito-identity.amazonaws.com';

export interface LivenessIdentityPoolProps {
  /** Let unauthenticated (guest) identities get credentials. */
  readonly allowGuestAccess: boolean;
  /** execute-api ARNs the browser may invoke (empty when the API does not use IAM auth). */
  readonly invokeArns: readonly string[];
  /** Condition on the Rekognition statement, e.g. aws:RequestedRegion. @default none */
  readonly rekognitionCondition?: Record<string, Record<string, unknown>>;
}

export class LivenessIdentityPool extends Construct {
  public readonly identityPool: cognito.CfnIdentityPool;
  /** The role of signed-in identities. It is only reachable once an identity provider is added to the pool. */
  public readonly authenticatedRole: iam.Role;
  /** The role of guest identities, when guest access is on. */
  public readonly guestRole?: iam.Role;

  constructor(scope: Construct, id: string, props: LivenessIdentityPoolProps) {
    super(scope, id);

    this.identityPool = new cognito.CfnIdentityPool(this, 'IdentityPool', {
      allowUnauthenticatedIdentities: props.allowGuestAccess,
      // The basic (classic) flow lets a client pick any role the pool trusts; the enhanced flow only hands out ours.
      allowClassicFlow: false,
    });
    if (props.allowGuestAccess) {
      acknowledge(
        this.identityPool,
        'AwsSolutions-COG7',
        'Face Liveness runs before or without sign-in (allowGuestAccess, the AWS-documented setup for FaceLivenessDetector); guest credentials allow only StartFaceLivenessSession and, with IAM auth, this API\'s two routes.',
      );
    }

    this.authenticatedRole = this.createRole('AuthenticatedRole', 'authenticated', props);
    if (props.allowGuestAccess) this.guestRole = this.createRole('GuestRole', 'unauthenticated', props);

    new cognito.CfnIdentityPoolRoleAttachment(this, 'RoleAttachment', {
      identityPoolId: this.identityPool.ref,
      roles: {
        authenticated: this.authenticatedRole.roleArn,
        ...(this.guestRole ? { unauthenticated: this.guestRole.roleArn } : {}),
      },
    });
  }

  private createRole(id: string, amr: 'authenticated' | 'unauthenticated', props: LivenessIdentityPoolProps): iam.Role {
    const statements = [
      new iam.PolicyStatement({
        actions: ['rekognition:StartFaceLivenessSession'],
        resources: ['*'],
        ...(props.rekognitionCondition ? { conditions: props.rekognitionCondition } : {}),
      }),
    ];
    if (props.invokeArns.length > 0) {
      statements.push(new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: [...props.invokeArns] }));
    }
    const role = new iam.Role(this, id, {
      description: `Face Liveness browser credentials (${amr} identities of the identity pool)`,
      assumedBy: new iam.FederatedPrincipal(
        COGNITO_IDENTITY,
        {
          StringEquals: { [`${COGNITO_IDENTITY}:aud`]: this.identityPool.ref },
          'ForAnyValue:StringLike': { [`${COGNITO_IDENTITY}:amr`]: amr },
        },
        'sts:AssumeRoleWithWebIdentity',
      ),
      inlinePolicies: { Permissions: new iam.PolicyDocument({ statements }) },
    });
    const cfnRole = role.node.defaultChild as iam.CfnRole;
    acknowledge(
      cfnRole,
      'AwsSolutions-IAM5[Resource::*]',
      'rekognition:StartFaceLivenessSession supports no resource types or condition keys, so AWS requires Resource "*"; the statement is narrowed by aws:RequestedRegion when restrictToRegion is on.',
    );
    for (const arn of props.invokeArns.filter((a) => a.includes('*'))) {
      acknowledge(
        cfnRole,
        wildcardResourceFinding(this, arn),
        'The only wildcard is the {sessionId} path parameter of one route: the session id is only known at run time, and the ARN is otherwise fixed to this API, stage, method and path.',
      );
    }
    return role;
  }
}
