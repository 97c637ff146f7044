// A TypeScript consumer of @onelastai/models, compiled with `tsc --strict
// --noEmit` (tests/pkg/types/tsconfig*.json): it uses every export, narrows
// on `ok`, and proves with `@ts-expect-error` that the types refuse what the
// runtime would refuse. Never run; only type-checked.
import {
  calculateExpiryDate,
  collections,
  init,
  isSubscriptionValid,
  validate,
  validateAgentSubscription,
  validateAnalyticsEvent,
  validateAppConfig,
  validateChatAnalytics,
  validateChatMessage,
  validateChatSession,
  validateField,
  validateInvoice,
  validateLeaderboard,
  validatePayment,
  validateSubscriptionPlan,
  validateTool,
  validateToolReview,
  validateToolUsageAnalytics,
  validateUser,
  validateUserAchievements,
  validateUserRewards,
  validateUserSession,
} from "@onelastai/models";
import type {
  AgentSubscription,
  ChatSession,
  CollectionInfo,
  CollectionName,
  Documents,
  FieldError,
  IndexSpec,
  Plan,
  Role,
  SubscriptionValidity,
  User,
  ValidateFieldOptions,
  ValidateOptions,
  ValidationResult,
} from "@onelastai/models";

export async function main(form: unknown): Promise<void> {
  await init();

  // Narrowing on `ok`.
  const result: ValidationResult<User> = validateUser(form, { now: new Date() });
  if (result.ok) {
    const user: User = result.value;
    const email: string = user.email;
    const role: Role | null = user.role;
    const joined: string | null = user.joinedAt;
    const id: string | undefined = user._id;
    console.log(email, role, joined, id, user.backupCodes?.length);
  } else {
    const first: FieldError | undefined = result.errors[0];
    const kind: string | undefined = first?.kind;
    const value: unknown = first?.value;
    console.log(first?.path, kind, first?.message, value);
  }
  // @ts-expect-error: `value` exists only once `ok` is narrowed to true.
  console.log(result.value);

  // The generic validate: the value type follows the collection name.
  const options: ValidateOptions = { now: "2024-01-15T10:30:00.000Z" };
  const chat = validate("chatsessions", form, options);
  if (chat.ok) {
    const session: ChatSession = chat.value;
    const doc: Documents["chatsessions"] = session;
    console.log(doc.messages?.[0]?.role);
  }
  // A bounded check for large imports: at most 100 errors, and whether more fail.
  const bounded = validate("chatsessions", form, { ...options, maxErrors: 100 });
  if (!bounded.ok) {
    const more: true | undefined = bounded.truncated;
    console.log(bounded.errors.length, more);
  }
  // @ts-expect-error: maxErrors is a number.
  validate("chatsessions", form, { maxErrors: "100" });
  const sub = validate("subscriptions", form);
  if (sub.ok) {
    const s: AgentSubscription = sub.value;
    const plan: Plan = s.plan;
    const valid: boolean = isSubscriptionValid(s);
    console.log(plan, valid);
  }
  // @ts-expect-error: not one of the 17 collection names.
  validate("user", form);

  // Every typed validator.
  const all: ValidationResult<unknown>[] = [
    validateUserSession(form),
    validateAgentSubscription(form),
    validateSubscriptionPlan(form, options),
    validateChatSession(form),
    validateChatMessage(form),
    validateAnalyticsEvent(form),
    validateChatAnalytics(form),
    validateToolUsageAnalytics(form),
    validateUserAchievements(form),
    validateUserRewards(form),
    validateLeaderboard(form),
    validateTool(form),
    validateToolReview(form),
    validateInvoice(form),
    validatePayment(form),
    validateAppConfig(form),
  ];
  console.log(all.filter((r) => r.ok).length);

  // Live feedback for one field.
  const fieldOptions: ValidateFieldOptions = { document: { authMethod: "password" }, now: new Date() };
  const errors: FieldError[] = validateField("users", "password", "hunter2", fieldOptions);
  console.log(errors.map((e) => e.message));

  // Subscriptions.
  const expiry: string = calculateExpiryDate("monthly", new Date());
  const validity: SubscriptionValidity = { status: "active", expiryDate: expiry };
  console.log(isSubscriptionValid(validity, "2024-01-15T10:30:00.000Z"));
  // @ts-expect-error: "yearly" is not a Plan.
  calculateExpiryDate("yearly", new Date());

  // Collections as data.
  const names: CollectionName[] = collections.map((c: CollectionInfo) => c.name);
  const indexes: IndexSpec[] = collections.flatMap((c) => c.indexes);
  const key: [string, number] | undefined = indexes[0]?.keys[0];
  console.log(names, key, indexes[0]?.unique, indexes[0]?.sparse, indexes[0]?.name);
}

// The controls: a complete user, a valid role. Each error below differs
// from them in the one way its comment names.
export const complete: User = {
  id: "user_1",
  email: "ann@example.com",
  authMethod: "password",
  emailVerified: false,
  isActive: true,
  role: "user",
  twoFactorEnabled: false,
  joinedAt: "2024-01-15T10:30:00.000Z",
  preferences: null,
  backupCodes: [],
  tempBackupCodes: [],
};
export const rightRole: Partial<User> = { role: "admin" };

// A wrong enum literal is a type error.
export const wrongRole: Partial<User> = {
  // @ts-expect-error: "superuser" is not a Role.
  role: "superuser",
};

// A missing required field is a type error: the control without its `id`.
const { id: _id, ...withoutId } = complete;
// @ts-expect-error: `id` is required.
export const missingId: User = withoutId;

// Dates are strings on the wire, never Date objects.
export const dateObject: Partial<User> = {
  // @ts-expect-error: a Date is not a string.
  lastLoginAt: new Date(),
};
