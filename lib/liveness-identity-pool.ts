/**
 * The Cognito identity pool that gives browsers short-lived AWS credentials for FaceLivenessDetector (the L2
 * IdentityPool), when the app brings no roles of its own. Browser roles get exactly rekognition:StartFaceLivenessSession,
 * plus (with IAM auth) calling this API's two routes: browserAccessStatements, also what grantBrowserAccess gives.
 */
import { Lazy } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import {
  IdentityPool,
  UserPoolAuthenticationProvider,
  type IdentityPoolAuthenticationProviders,
} from 'aws-cdk-lib/aws-cognito-identitypool';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, type IConstruct } from 'constructs';
import { acknowledge, wildcardResourceFinding } from './nag';

const COGNITO_IDENTITY = 'cognito-identity.amazonaws.com';

export interface BrowserAccess {
  /** execute-api ARNs the browser may invoke (empty when the API does not use IAM auth). */
  readonly invokeArns: readonly string[];
  /** Condition on the Rekognition statement, e.g. aws:RequestedRegion. @default none */
  readonly rekognitionCondition?: Record<string, Record<string, unknown>>;
}

/** Everything a browser needs: starting a liveness session and, with IAM auth, calling the two routes. */
export function browserAccessStatements(access: BrowserAccess): iam.PolicyStatement[] {
  const statements = [
    new iam.PolicyStatement({
      actions: ['rekognition:StartFaceLivenessSession'],
      resources: ['*'],
      ...(access.rekognitionCondition ? { conditions: access.rekognitionCondition } : {}),
    }),
  ];
  if (access.invokeArns.length > 0) {
    statements.push(new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: [...access.invokeArns] }));
  }
  return statements;
}

/** The cdk-nag acknowledgements of a role or policy that holds browserAccessStatements. */
export function acknowledgeBrowserAccess(scope: IConstruct, access: BrowserAccess): void {
  acknowledge(
    scope,
    'AwsSolutions-IAM5[Resource::*]',
    'rekognition:StartFaceLivenessSession supports no resource types or condition keys, so AWS requires Resource "*"; the statement is narrowed by aws:RequestedRegion when restrictToRegion is on.',
  );
  for (const arn of access.invokeArns.filter((a) => a.includes('*'))) {
    acknowledge(
      scope,
      wildcardResourceFinding(scope, arn),
      'The only wildcard is the {sessionId} path parameter of one route: the session id is only known at run time, and the ARN is otherwise fixed to this API, stage, method and path.',
    );
  }
}

export interface LivenessIdentityPoolProps extends BrowserAccess {
  /** Let unauthenticated (guest) identities get credentials. */
  readonly allowGuestAccess: boolean;
  /** A user pool whose signed-in users get the authenticated role. @default none */
  readonly userPool?: cognito.IUserPool;
  /** The user pool's app client signed-in users come through; without it the pool gets no login provider. @default none */
  readonly userPoolClient?: cognito.IUserPoolClient;
  /**
   * The app's own login providers (OIDC, SAML, a developer provider, the social ones); their identities get the
   * authenticated role. `userPools` are added beside `userPool` with `userPoolClient`. @default none
   */
  readonly authenticationProviders?: IdentityPoolAuthenticationProviders;
}

export class LivenessIdentityPool extends Construct {
  public readonly identityPool: IdentityPool;
  /** The role of signed-in identities. It is only reachable once an identity provider is added to the pool. */
  public readonly authenticatedRole: iam.Role;
  /** The role of guest identities, when guest access is on. */
  public readonly guestRole?: iam.Role;

  /** True when signed-in identities can reach the authenticated role: the pool has at least one login provider. */
  public readonly hasLoginProvider: boolean;

  constructor(scope: Construct, id: string, props: LivenessIdentityPoolProps) {
    super(scope, id);
    const providers = loginProviders(props);
    this.hasLoginProvider = Object.values(providers.authenticationProviders ?? {}).some((p) =>
      Array.isArray(p) ? p.length > 0 : p !== undefined,
    );

    // The roles trust this pool only; the pool is created after them, so their trust policy reads its id lazily.
    let poolId: string | undefined;
    const audience = Lazy.string({ produce: () => poolId });
    this.authenticatedRole = this.createRole('AuthenticatedRole', 'authenticated', audience, props);
    if (props.allowGuestAccess) this.guestRole = this.createRole('GuestRole', 'unauthenticated', audience, props);

    this.identityPool = new IdentityPool(this, 'IdentityPool', {
      allowUnauthenticatedIdentities: props.allowGuestAccess,
      // The basic (classic) flow lets a client pick any role the pool trusts; the enhanced flow only hands out ours.
      allowClassicFlow: false,
      authenticatedRole: this.authenticatedRole,
      ...(this.guestRole ? { unauthenticatedRole: this.guestRole } : {}),
      ...providers,
    });
    poolId = this.identityPool.identityPoolId;
    if (!this.guestRole) {
      // The L2 always adds a default unauthenticated role; without guests nobody could assume it, so it goes.
      this.identityPool.node.tryRemoveChild('UnauthenticatedRole');
      this.identityPool.roleAttachment.addPropertyDeletionOverride('Roles.unauthenticated');
    }
    if (props.allowGuestAccess) {
      acknowledge(
        this.identityPool,
        'AwsSolutions-COG7',
        "Face Liveness runs before or without sign-in (allowGuestAccess, the AWS-documented setup for FaceLivenessDetector); guest credentials allow only StartFaceLivenessSession and, with IAM auth, this API's two routes.",
      );
    }
  }

  private createRole(
    id: string,
    amr: 'authenticated' | 'unauthenticated',
    audience: string,
    props: LivenessIdentityPoolProps,
  ): iam.Role {
    const role = new iam.Role(this, id, {
      description: `Face Liveness browser credentials (${amr} identities of the identity pool)`,
      assumedBy: new iam.FederatedPrincipal(
        COGNITO_IDENTITY,
        {
          StringEquals: { [`${COGNITO_IDENTITY}:aud`]: audience },
          'ForAnyValue:StringLike': { [`${COGNITO_IDENTITY}:amr`]: amr },
        },
        'sts:AssumeRoleWithWebIdentity',
      ),
      inlinePolicies: { Permissions: new iam.PolicyDocument({ statements: browserAccessStatements(props) }) },
    });
    acknowledgeBrowserAccess(role.node.defaultChild as iam.CfnRole, props);
    return role;
  }
}

/**
 * The pool's login providers: the app's own, and its user pool through the app client it names (only then: CDK's
 * default client would allow the implicit OAuth flow).
 */
function loginProviders(props: LivenessIdentityPoolProps): {
  authenticationProviders?: IdentityPoolAuthenticationProviders;
} {
  const userPools = [
    ...(props.authenticationProviders?.userPools ?? []),
    ...(props.userPool && props.userPoolClient
      ? [new UserPoolAuthenticationProvider({ userPool: props.userPool, userPoolClient: props.userPoolClient })]
      : []),
  ];
  const providers = { ...props.authenticationProviders, ...(userPools.length > 0 ? { userPools } : {}) };
  return Object.keys(providers).length > 0 ? { authenticationProviders: providers } : {};
}
