import { defineAuth } from '@aws-amplify/backend';

/** Amplify's user pool and identity pool; guest access is on by default, so liveness works before sign-in. */
export const auth = defineAuth({
  loginWith: { email: true },
});
