/* tslint:disable */
/* eslint-disable */

/** One of the 17 MongoDB collection names. */
export type CollectionName = keyof Documents;

/** A refused document's answer (the models crate's `Rejection`): every failing path. */
export interface Rejection {
    ok: false;
    errors: FieldError[];
    /** `true` when `options.maxErrors` cut the list: more paths fail than `errors` holds. */
    truncated?: true;
}

/** What a validation returns: the normalised document, or every failing path. */
export type ValidationResult<T> = { ok: true; value: T } | Rejection;

/** Options of `validate` and the typed validators. */
export interface ValidateOptions {
    /** The clock for `Date.now` defaults (an ISO 8601 string or a Date); the caller's clock when absent. */
    now?: Date | string;
    /**
     * Stop after this many errors (a positive integer): the walk ends there,
     * so a huge broken document costs little. Every error when absent.
     */
    maxErrors?: number;
}

/** Options of `validateField`. */
export interface ValidateFieldOptions extends ValidateOptions {
    /** The rest of the document, for rules that read other fields (a password's auth method). */
    document?: unknown;
}

/** A collection as data: its name, HTTP route, model type, indexes and form fields. */
export interface CollectionInfo {
    name: CollectionName;
    /** The server's route segment (`usersessions` -> `user-sessions`): `/api/<route>`. */
    route: string;
    /** The TypeScript type of its documents (`UserSession`). */
    model: string;
    indexes: IndexSpec[];
    /** Every path, in declaration order, with what a form needs (see `FormField`). */
    fields: FormField[];
}

/**
 * One path of a collection, for building a form. Array positions are
 * written `$`, map keys `$*` (`messages.$.role`).
 */
export interface FormField {
    path: string;
    type: "string" | "number" | "boolean" | "date" | "objectId" | "mixed" | "map" | "array" | "object";
    required: boolean;
    /** In UTF-16 code units (JavaScript's `length`), as Mongoose counts. */
    maxLength?: number;
    min?: number;
    max?: number;
    enum?: string[];
    /** The default value; `"now"` for the time of validation. */
    default?: string | number | boolean;
    /** Never returned by the server. */
    secret?: true;
    /** Set by the server or an admin only. */
    protected?: true;
}

/**
 * Machine-readable details of a `FieldError`, by kind: `maxlength`
 * `{ maxlength, length }` (UTF-16 units; no `length` for a secret value),
 * `enum` `{ values }`, `min` `{ min }`, `max` `{ max }`, `cast` `{ type }`
 * (a `FormField` type), `{}` for `required` and `user defined`.
 */
export interface ErrorParams {
    maxlength?: number;
    length?: number;
    minlength?: number;
    values?: readonly string[];
    min?: number;
    max?: number;
    type?: FormField["type"];
}

export interface FieldError {
    /** Machine-readable details (see `ErrorParams`), added by the package's entry points. */
    params: ErrorParams;
}

/** What `isSubscriptionValid` reads of a subscription. */
export interface SubscriptionValidity {
    status?: SubscriptionStatus | null;
    expiryDate: Date | string | number;
}

/**
 * Casts, normalises and validates `input` as a document of `collection`,
 * exactly as the server does. Never throws for a bad document; throws an
 * `Error` listing the valid names when `collection` is none of them.
 */
export function validate<C extends CollectionName>(
collection: C,
input: unknown,
options?: ValidateOptions,
): ValidationResult<Documents[C]>;

/** What `verdict` returns: `validate`'s answer without the normalised document. */
export type Verdict = { ok: true } | Rejection;

/**
 * `validate` without the normalised document: the verdict and the same
 * errors, for live form checks. Cheaper: no result document is written or
 * read back. Throws as `validate` does.
 */
export function verdict(collection: CollectionName, input: unknown, options?: ValidateOptions): Verdict;

/**
 * `validate` of each of `inputs` (imports, tables) crossing the WebAssembly
 * boundary once: the same answers, in order. Throws as `validate` does, and
 * a `TypeError` when `inputs` is not an array.
 */
export function validateMany<C extends CollectionName>(
collection: C,
inputs: readonly unknown[],
options?: ValidateOptions,
): ValidationResult<Documents[C]>[];

/**
 * The errors of one path alone, for live form feedback as a person types:
 * the same rules and messages as `validate`. `options.document` is the rest
 * of the form, for rules that read other fields. Throws an `Error` for an
 * unknown collection or a path that names no field.
 */
export function validateField(
collection: CollectionName,
path: string,
value: unknown,
options?: ValidateFieldOptions,
): FieldError[];

/**
 * The spec's `isValid()`: the subscription is active and expires after
 * `now` (the caller's clock when absent). False for anything that is not
 * such a subscription.
 */
export function isSubscriptionValid(subscription: SubscriptionValidity, now?: Date | string): boolean;



/** The normalised document of each collection, by its MongoDB name. */
export interface Documents {
    users: User;
    usersessions: UserSession;
    subscriptions: AgentSubscription;
    subscriptionplans: SubscriptionPlan;
    chatsessions: ChatSession;
    chatmessages: ChatMessage;
    analyticsevents: AnalyticsEvent;
    chatanalytics: ChatAnalytics;
    toolusageanalytics: ToolUsageAnalytics;
    userachievements: UserAchievements;
    userrewards: UserRewards;
    leaderboards: Leaderboard;
    tools: Tool;
    toolreviews: ToolReview;
    invoices: Invoice;
    payments: Payment;
    appconfigs: AppConfig;
}

/** Validates a `users` document (see `validate`): the normalised `User`, or every failing path. */
export function validateUser(input: unknown, options?: ValidateOptions): ValidationResult<User>;

/** Validates a `usersessions` document (see `validate`): the normalised `UserSession`, or every failing path. */
export function validateUserSession(input: unknown, options?: ValidateOptions): ValidationResult<UserSession>;

/** Validates a `subscriptions` document (see `validate`): the normalised `AgentSubscription`, or every failing path. */
export function validateAgentSubscription(input: unknown, options?: ValidateOptions): ValidationResult<AgentSubscription>;

/** Validates a `subscriptionplans` document (see `validate`): the normalised `SubscriptionPlan`, or every failing path. */
export function validateSubscriptionPlan(input: unknown, options?: ValidateOptions): ValidationResult<SubscriptionPlan>;

/** Validates a `chatsessions` document (see `validate`): the normalised `ChatSession`, or every failing path. */
export function validateChatSession(input: unknown, options?: ValidateOptions): ValidationResult<ChatSession>;

/** Validates a `chatmessages` document (see `validate`): the normalised `ChatMessage`, or every failing path. */
export function validateChatMessage(input: unknown, options?: ValidateOptions): ValidationResult<ChatMessage>;

/** Validates a `analyticsevents` document (see `validate`): the normalised `AnalyticsEvent`, or every failing path. */
export function validateAnalyticsEvent(input: unknown, options?: ValidateOptions): ValidationResult<AnalyticsEvent>;

/** Validates a `chatanalytics` document (see `validate`): the normalised `ChatAnalytics`, or every failing path. */
export function validateChatAnalytics(input: unknown, options?: ValidateOptions): ValidationResult<ChatAnalytics>;

/** Validates a `toolusageanalytics` document (see `validate`): the normalised `ToolUsageAnalytics`, or every failing path. */
export function validateToolUsageAnalytics(input: unknown, options?: ValidateOptions): ValidationResult<ToolUsageAnalytics>;

/** Validates a `userachievements` document (see `validate`): the normalised `UserAchievements`, or every failing path. */
export function validateUserAchievements(input: unknown, options?: ValidateOptions): ValidationResult<UserAchievements>;

/** Validates a `userrewards` document (see `validate`): the normalised `UserRewards`, or every failing path. */
export function validateUserRewards(input: unknown, options?: ValidateOptions): ValidationResult<UserRewards>;

/** Validates a `leaderboards` document (see `validate`): the normalised `Leaderboard`, or every failing path. */
export function validateLeaderboard(input: unknown, options?: ValidateOptions): ValidationResult<Leaderboard>;

/** Validates a `tools` document (see `validate`): the normalised `Tool`, or every failing path. */
export function validateTool(input: unknown, options?: ValidateOptions): ValidationResult<Tool>;

/** Validates a `toolreviews` document (see `validate`): the normalised `ToolReview`, or every failing path. */
export function validateToolReview(input: unknown, options?: ValidateOptions): ValidationResult<ToolReview>;

/** Validates a `invoices` document (see `validate`): the normalised `Invoice`, or every failing path. */
export function validateInvoice(input: unknown, options?: ValidateOptions): ValidationResult<Invoice>;

/** Validates a `payments` document (see `validate`): the normalised `Payment`, or every failing path. */
export function validatePayment(input: unknown, options?: ValidateOptions): ValidationResult<Payment>;

/** Validates a `appconfigs` document (see `validate`): the normalised `AppConfig`, or every failing path. */
export function validateAppConfig(input: unknown, options?: ValidateOptions): ValidationResult<AppConfig>;


/**
 * 1.1 A user account with authentication and profile data.
 */
export interface User {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * Application id (`user_1234567890`).
     */
    id: string;
    /**
     * Login email, stored lowercase; must match the spec's email format.
     */
    email: string;
    /**
     * Display name, trimmed.
     */
    name?: string | null;
    /**
     * Plaintext on input (at least 8 characters for password auth); the server stores a hash.
     */
    password?: string | null;
    /**
     * How the user signs in.
     */
    authMethod: AuthMethod | null;
    /**
     * Whether the email address is confirmed.
     */
    emailVerified: boolean | null;
    /**
     * Avatar URL.
     */
    avatar?: string | null;
    /**
     * Short biography, at most 500 UTF-16 units.
     */
    bio?: string | null;
    /**
     * Phone number.
     */
    phoneNumber?: string | null;
    /**
     * Free-text location.
     */
    location?: string | null;
    /**
     * IANA time zone.
     */
    timezone?: string | null;
    /**
     * Profession.
     */
    profession?: string | null;
    /**
     * Company.
     */
    company?: string | null;
    /**
     * Personal website.
     */
    website?: string | null;
    /**
     * Social profiles.
     */
    socialLinks?: SocialLinks | null;
    /**
     * Notification preferences.
     */
    preferences?: Preferences | null;
    /**
     * Last successful login.
     */
    lastLoginAt?: string | null;
    /**
     * Whether the account is active.
     */
    isActive: boolean | null;
    /**
     * Authorisation role.
     */
    role: Role | null;
    /**
     * Password reset token (hash). Secret: never returned by the server.
     */
    resetPasswordToken?: string | null;
    /**
     * When the reset token expires.
     */
    resetPasswordExpires?: string | null;
    /**
     * Current session id.
     */
    sessionId?: string | null;
    /**
     * When the current session expires.
     */
    sessionExpiry?: string | null;
    /**
     * Two-factor authentication switched on (needs at least 8 backup codes).
     */
    twoFactorEnabled: boolean | null;
    /**
     * Encrypted TOTP secret. Secret.
     */
    twoFactorSecret?: string | null;
    /**
     * TOTP secret during enrolment. Secret.
     */
    tempTwoFactorSecret?: string | null;
    /**
     * Two-factor backup codes. Secret.
     */
    backupCodes: (string | null)[] | null;
    /**
     * Backup codes during enrolment. Secret.
     */
    tempBackupCodes: (string | null)[] | null;
    /**
     * When the user joined.
     */
    joinedAt: string | null;
    /**
     * Set by the server on insert (`timestamps: true`).
     */
    createdAt?: string | null;
    /**
     * Set by the server on every write (`timestamps: true`).
     */
    updatedAt?: string | null;
    /**
     * Mongoose's version key, incremented by array rewrites.
     */
    __v?: number;
}

/**
 * 1.2 An authentication session.
 */
export interface UserSession {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * The user (`users._id`).
     */
    userId: string;
    /**
     * Session id.
     */
    sessionId: string;
    /**
     * Client IP address.
     */
    ipAddress?: string | null;
    /**
     * Client user agent.
     */
    userAgent?: string | null;
    /**
     * Device class.
     */
    deviceType?: DeviceType | null;
    /**
     * Browser name.
     */
    browser?: string | null;
    /**
     * Operating system.
     */
    os?: string | null;
    /**
     * Where the session comes from.
     */
    location?: SessionLocation | null;
    /**
     * Whether the session is live.
     */
    isActive: boolean | null;
    /**
     * When the session expires.
     */
    expiresAt: string;
    /**
     * Last request in this session.
     */
    lastActivityAt: string | null;
    /**
     * Set by the server on insert (`timestamps: true`).
     */
    createdAt?: string | null;
    /**
     * Set by the server on every write (`timestamps: true`).
     */
    updatedAt?: string | null;
    /**
     * Mongoose's version key, incremented by array rewrites.
     */
    __v?: number;
}

/**
 * 2.1 A user's subscription to an AI agent.
 */
export interface AgentSubscription {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * The subscriber (`users.id`).
     */
    userId: string;
    /**
     * The agent (`einstein`).
     */
    agentId: string;
    /**
     * Billing period.
     */
    plan: Plan;
    /**
     * Price paid, not negative.
     */
    price: number;
    /**
     * Lifecycle state.
     */
    status: SubscriptionStatus | null;
    /**
     * When the subscription starts.
     */
    startDate: string | null;
    /**
     * When it ends; the server fills it from [`calculate_expiry_date`] when absent.
     */
    expiryDate: string;
    /**
     * Stripe's subscription id.
     */
    stripeSubscriptionId?: string | null;
    /**
     * Set by the server on insert (`timestamps: true`).
     */
    createdAt?: string | null;
    /**
     * Set by the server on every write (`timestamps: true`).
     */
    updatedAt?: string | null;
    /**
     * Mongoose's version key, incremented by array rewrites.
     */
    __v?: number;
}

/**
 * 2.2 A plan offered for sale.
 */
export interface SubscriptionPlan {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * Plan id (`monthly`).
     */
    id: string;
    /**
     * Name.
     */
    name: string;
    /**
     * Name shown to people.
     */
    displayName: string;
    /**
     * Price, not negative.
     */
    price: number;
    /**
     * Billing period (`month`).
     */
    period: string;
    /**
     * Description.
     */
    description: string;
    /**
     * Price as shown (`$19.00`).
     */
    priceFormatted: string;
    /**
     * Feature bullet points.
     */
    features: (string | null)[] | null;
    /**
     * Whether the plan is on sale.
     */
    isActive: boolean | null;
    /**
     * Set by the server on insert (`timestamps: true`).
     */
    createdAt?: string | null;
    /**
     * Set by the server on every write (`timestamps: true`).
     */
    updatedAt?: string | null;
    /**
     * Mongoose's version key, incremented by array rewrites.
     */
    __v?: number;
}

/**
 * 3.1 A conversation with an agent, messages embedded.
 */
export interface ChatSession {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * Session id (`session_1234567890`).
     */
    id: string;
    /**
     * The user (`users.id`).
     */
    userId: string;
    /**
     * The agent.
     */
    agentId?: string | null;
    /**
     * Conversation title.
     */
    name: string;
    /**
     * The messages, in order.
     */
    messages: (SessionMessage | null)[] | null;
    /**
     * Last activity.
     */
    lastUpdated: string | null;
    /**
     * Whether the conversation is open.
     */
    isActive: boolean | null;
    /**
     * Counters.
     */
    metadata?: SessionMetadata | null;
    /**
     * Set by the server on insert (`timestamps: true`).
     */
    createdAt?: string | null;
    /**
     * Set by the server on every write (`timestamps: true`).
     */
    updatedAt?: string | null;
    /**
     * Mongoose's version key, incremented by array rewrites.
     */
    __v?: number;
}

/**
 * 3.2 One chat message, stored on its own for analytics.
 */
export interface ChatMessage {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * The chat session (`chatsessions.id`).
     */
    sessionId: string;
    /**
     * Message id.
     */
    messageId: string;
    /**
     * The user.
     */
    userId: string;
    /**
     * The agent.
     */
    agentId?: string | null;
    /**
     * Who wrote it.
     */
    role: MessageRole;
    /**
     * The text.
     */
    content: string;
    /**
     * Tokens used.
     */
    tokens?: number | null;
    /**
     * Model that answered.
     */
    model?: string | null;
    /**
     * Response time in milliseconds.
     */
    responseTime?: number | null;
    /**
     * The user's rating.
     */
    feedback?: Feedback | null;
    /**
     * Attached files.
     */
    attachments: (MessageAttachment | null)[] | null;
    /**
     * Language, sentiment, topics.
     */
    metadata?: MessageMetadata | null;
    /**
     * Set by the server on insert (`timestamps: true`).
     */
    createdAt?: string | null;
    /**
     * Set by the server on every write (`timestamps: true`).
     */
    updatedAt?: string | null;
    /**
     * Mongoose's version key, incremented by array rewrites.
     */
    __v?: number;
}

/**
 * 4.1 A behaviour or system event.
 */
export interface AnalyticsEvent {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * Anonymous visitor id.
     */
    visitorId: string;
    /**
     * Browser session id.
     */
    sessionId: string;
    /**
     * The user, when signed in.
     */
    userId?: string | null;
    /**
     * Event type (`page_view`).
     */
    eventType: string;
    /**
     * Event name (`agent_chat_started`).
     */
    eventName: string;
    /**
     * Free-form event properties.
     */
    properties?: unknown | null;
    /**
     * Where the event happened.
     */
    context?: EventContext | null;
    /**
     * When it happened.
     */
    timestamp: string | null;
    /**
     * Mongoose's version key, incremented by array rewrites.
     */
    __v?: number;
}

/**
 * 4.2 One question and answer with an agent, for analytics.
 */
export interface ChatAnalytics {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * The user.
     */
    userId: string;
    /**
     * The agent.
     */
    agentId: string;
    /**
     * The agent's name.
     */
    agentName: string;
    /**
     * The question.
     */
    userMessage: string;
    /**
     * The answer.
     */
    aiResponse: string;
    /**
     * Response time in milliseconds.
     */
    responseTime: number;
    /**
     * Model that answered.
     */
    model: string;
    /**
     * Language code.
     */
    language: string | null;
    /**
     * How well the answer kept the agent's personality, 0-100.
     */
    personalityScore?: number | null;
    /**
     * The user's feedback.
     */
    feedback?: InteractionFeedback | null;
    /**
     * Cost accounting.
     */
    metadata?: ChatAnalyticsMetadata | null;
    /**
     * Set by the server on insert (`timestamps: true`).
     */
    createdAt?: string | null;
    /**
     * Set by the server on every write (`timestamps: true`).
     */
    updatedAt?: string | null;
    /**
     * Mongoose's version key, incremented by array rewrites.
     */
    __v?: number;
}

/**
 * 4.3 One use of a developer tool.
 */
export interface ToolUsageAnalytics {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * The user, when signed in.
     */
    userId?: string | null;
    /**
     * Tool name (`api-tester`).
     */
    toolName: string;
    /**
     * Tool category.
     */
    toolCategory: ToolCategory;
    /**
     * What was done (`test_endpoint`).
     */
    action: string;
    /**
     * Free-form input.
     */
    input?: unknown | null;
    /**
     * Free-form output.
     */
    output?: unknown | null;
    /**
     * Whether it succeeded.
     */
    success: boolean;
    /**
     * Error message.
     */
    error?: string | null;
    /**
     * Execution time in milliseconds.
     */
    executionTime?: number | null;
    /**
     * Request details.
     */
    metadata?: ToolUsageMetadata | null;
    /**
     * Set by the server on insert (`timestamps: true`).
     */
    createdAt?: string | null;
    /**
     * Set by the server on every write (`timestamps: true`).
     */
    updatedAt?: string | null;
    /**
     * Mongoose's version key, incremented by array rewrites.
     */
    __v?: number;
}

/**
 * 5.1 A user's achievements and badges.
 */
export interface UserAchievements {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * The user.
     */
    userId: string;
    /**
     * Unlocked achievements.
     */
    achievements: (Achievement | null)[] | null;
    /**
     * Points from achievements.
     */
    totalPoints: number | null;
    /**
     * Achievements unlocked.
     */
    totalUnlocked: number | null;
    /**
     * Achievements that exist.
     */
    totalPossible: number | null;
    /**
     * Progress towards each achievement, by achievement id.
     */
    progress?: Record<string, number | null> | null;
    /**
     * Most recent unlock.
     */
    lastUnlockedAt?: string | null;
    /**
     * Days in a row with activity.
     */
    currentStreak: number | null;
    /**
     * Mastery level.
     */
    masteryLevel: MasteryLevel | null;
    /**
     * Set by the server on insert (`timestamps: true`).
     */
    createdAt?: string | null;
    /**
     * Set by the server on every write (`timestamps: true`).
     */
    updatedAt?: string | null;
    /**
     * Mongoose's version key, incremented by array rewrites.
     */
    __v?: number;
}

/**
 * 5.2 A user's points, items and transactions.
 */
export interface UserRewards {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * The user.
     */
    userId: string;
    /**
     * Points ever earned, not negative.
     */
    totalPoints: number | null;
    /**
     * Points that can be spent, not negative.
     */
    availablePoints: number | null;
    /**
     * Points spent, not negative.
     */
    spentPoints: number | null;
    /**
     * Items.
     */
    inventory: (InventoryItem | null)[] | null;
    /**
     * Point movements.
     */
    transactions: (RewardTransaction | null)[] | null;
    /**
     * Cosmetics in use.
     */
    activeCosmetics?: ActiveCosmetics | null;
    /**
     * Totals.
     */
    stats?: RewardStats | null;
    /**
     * Set by the server on insert (`timestamps: true`).
     */
    createdAt?: string | null;
    /**
     * Set by the server on every write (`timestamps: true`).
     */
    updatedAt?: string | null;
    /**
     * Mongoose's version key, incremented by array rewrites.
     */
    __v?: number;
}

/**
 * 5.3 A ranking of users for one category and period.
 */
export interface Leaderboard {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * What is ranked.
     */
    category: LeaderboardCategory;
    /**
     * Over which period.
     */
    period: LeaderboardPeriod;
    /**
     * The ranking, best first.
     */
    rankings: (Ranking | null)[] | null;
    /**
     * Users taking part.
     */
    totalParticipants: number | null;
    /**
     * Last recomputation.
     */
    lastUpdated: string | null;
    /**
     * Next recomputation.
     */
    nextUpdate: string;
    /**
     * Set by the server on insert (`timestamps: true`).
     */
    createdAt?: string | null;
    /**
     * Set by the server on every write (`timestamps: true`).
     */
    updatedAt?: string | null;
    /**
     * Mongoose's version key, incremented by array rewrites.
     */
    __v?: number;
}

/**
 * 6.1 A marketplace tool or plugin.
 */
export interface Tool {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * Tool id (`tool_123`).
     */
    id: string;
    /**
     * Listing data.
     */
    metadata?: ToolMetadata | null;
    /**
     * Inputs, outputs and settings.
     */
    config?: ToolConfig | null;
    /**
     * Lifecycle hooks.
     */
    hooks: (ToolHook | null)[] | null;
    /**
     * Package dependencies.
     */
    dependencies: (ToolDependency | null)[] | null;
    /**
     * Source repository URL.
     */
    codeUrl: string;
    /**
     * Entry point function name.
     */
    mainFunction: string;
    /**
     * Listed in the marketplace.
     */
    published: boolean | null;
    /**
     * Reviewed by the team.
     */
    verified: boolean | null;
    /**
     * Featured on the front page.
     */
    featured: boolean | null;
    /**
     * Permissions the tool asks for.
     */
    requiredPermissions: (string | null)[] | null;
    /**
     * Runs in the sandbox.
     */
    sandboxed: boolean | null;
    /**
     * Assessed risk.
     */
    riskLevel: RiskLevel | null;
    /**
     * Set by the server on insert (`timestamps: true`).
     */
    createdAt?: string | null;
    /**
     * Set by the server on every write (`timestamps: true`).
     */
    updatedAt?: string | null;
    /**
     * Mongoose's version key, incremented by array rewrites.
     */
    __v?: number;
}

/**
 * 6.2 A user's review of a tool.
 */
export interface ToolReview {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * The tool (`tools.id`).
     */
    toolId: string;
    /**
     * The reviewer.
     */
    userId: string;
    /**
     * Stars, 1-5.
     */
    rating: number;
    /**
     * Title, at most 100 UTF-16 units.
     */
    title: string;
    /**
     * Review text.
     */
    content: string;
    /**
     * Good points.
     */
    pros: (string | null)[] | null;
    /**
     * Bad points.
     */
    cons: (string | null)[] | null;
    /**
     * Version reviewed.
     */
    version?: string | null;
    /**
     * "Helpful" votes.
     */
    helpful: number | null;
    /**
     * "Not helpful" votes.
     */
    notHelpful: number | null;
    /**
     * Reviewer verified.
     */
    verified: boolean | null;
    /**
     * Screenshots and files.
     */
    attachments: (ReviewAttachment | null)[] | null;
    /**
     * Set by the server on insert (`timestamps: true`).
     */
    createdAt?: string | null;
    /**
     * Set by the server on every write (`timestamps: true`).
     */
    updatedAt?: string | null;
    /**
     * Mongoose's version key, incremented by array rewrites.
     */
    __v?: number;
}

/**
 * 7.1 An invoice.
 */
export interface Invoice {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * The user (`users._id`).
     */
    userId: string;
    /**
     * Billing email.
     */
    email: string;
    /**
     * Stripe's invoice id.
     */
    stripeInvoiceId?: string | null;
    /**
     * Stripe's subscription id.
     */
    stripeSubscriptionId: string;
    /**
     * The agent.
     */
    agentId: string;
    /**
     * The agent's name.
     */
    agentName: string;
    /**
     * Billing period.
     */
    plan: Plan;
    /**
     * Amount.
     */
    amount: number;
    /**
     * Currency code.
     */
    currency: string | null;
    /**
     * Payment state.
     */
    status: InvoiceStatus | null;
    /**
     * When it was paid.
     */
    paidAt?: string | null;
    /**
     * Set by the server on insert (`timestamps: true`).
     */
    createdAt?: string | null;
    /**
     * Set by the server on every write (`timestamps: true`).
     */
    updatedAt?: string | null;
    /**
     * Mongoose's version key, incremented by array rewrites.
     */
    __v?: number;
}

/**
 * 7.2 A payment transaction.
 */
export interface Payment {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * The user (`users._id`).
     */
    userId: string;
    /**
     * Billing email.
     */
    email: string;
    /**
     * Stripe's payment intent id.
     */
    stripePaymentIntentId?: string | null;
    /**
     * Stripe's charge id.
     */
    stripeChargeId?: string | null;
    /**
     * Stripe's invoice id.
     */
    stripeInvoiceId?: string | null;
    /**
     * Stripe's subscription id.
     */
    stripeSubscriptionId: string;
    /**
     * The agent.
     */
    agentId: string;
    /**
     * The agent's name.
     */
    agentName: string;
    /**
     * Billing period.
     */
    plan: Plan;
    /**
     * Amount.
     */
    amount: number;
    /**
     * Currency code.
     */
    currency: string | null;
    /**
     * Payment state.
     */
    status: PaymentStatus | null;
    /**
     * How it was paid.
     */
    paymentMethod: PaymentMethod | null;
    /**
     * Last four card digits.
     */
    last4?: string | null;
    /**
     * Card brand.
     */
    brand?: string | null;
    /**
     * When it was paid.
     */
    paidAt: string | null;
    /**
     * Set by the server on insert (`timestamps: true`).
     */
    createdAt?: string | null;
    /**
     * Set by the server on every write (`timestamps: true`).
     */
    updatedAt?: string | null;
    /**
     * Mongoose's version key, incremented by array rewrites.
     */
    __v?: number;
}

/**
 * 8.1 An application-wide setting.
 */
export interface AppConfig {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * Setting key (`ai_config`).
     */
    key: string;
    /**
     * Setting value, any JSON.
     */
    value?: unknown | null;
    /**
     * Description.
     */
    description?: string | null;
    /**
     * Readable without the API token.
     */
    isPublic: boolean | null;
    /**
     * Who changed it last.
     */
    lastUpdatedBy?: string | null;
    /**
     * Area of the product.
     */
    category?: ConfigCategory | null;
    /**
     * Set by the server on insert (`timestamps: true`).
     */
    createdAt?: string | null;
    /**
     * Set by the server on every write (`timestamps: true`).
     */
    updatedAt?: string | null;
    /**
     * Mongoose's version key, incremented by array rewrites.
     */
    __v?: number;
}

/**
 * A dependency's package registry.
 */
export type PackageRegistry = "npm" | "pip" | "gem";

/**
 * A developer tool's category.
 */
export type ToolCategory = "network" | "data" | "developer" | "security" | "web";

/**
 * A device class.
 */
export type DeviceType = "desktop" | "mobile" | "tablet";

/**
 * A file attached to a chat session message.
 */
export interface SessionAttachment {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * File name.
     */
    name: string;
    /**
     * Size in bytes.
     */
    size?: number | null;
    /**
     * MIME type.
     */
    type?: string | null;
    /**
     * Where the file is.
     */
    url?: string | null;
    /**
     * Inline content (base64).
     */
    data?: string | null;
}

/**
 * A file attached to a review.
 */
export interface ReviewAttachment {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * Attachment type.
     */
    type?: AttachmentType | null;
    /**
     * Where the file is.
     */
    url: string;
    /**
     * File name.
     */
    filename?: string | null;
}

/**
 * A file attached to a stored chat message.
 */
export interface MessageAttachment {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * File name.
     */
    name: string;
    /**
     * Size in bytes.
     */
    size?: number | null;
    /**
     * MIME type.
     */
    type?: string | null;
    /**
     * Where the file is.
     */
    url?: string | null;
}

/**
 * A leaderboard's period.
 */
export type LeaderboardPeriod = "daily" | "weekly" | "monthly" | "all-time";

/**
 * A lifecycle hook of a tool.
 */
export interface ToolHook {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * Hook name (`onExecute`).
     */
    name: string;
    /**
     * Hook type.
     */
    type: string;
    /**
     * Source code.
     */
    code: string;
}

/**
 * A marketplace tool's category.
 */
export type ToolKind = "data-processing" | "integration" | "analytics" | "automation" | "utility" | "ai" | "custom";

/**
 * A movement of points.
 */
export interface RewardTransaction {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * Transaction id.
     */
    id: string;
    /**
     * When it happened.
     */
    timestamp: string | null;
    /**
     * Transaction type.
     */
    type?: TransactionType | null;
    /**
     * Points moved.
     */
    amount: number;
    /**
     * Description.
     */
    description: string;
    /**
     * Related item id.
     */
    relatedItem?: string | null;
    /**
     * Whether it can be refunded.
     */
    refundable: boolean | null;
}

/**
 * A package a tool depends on.
 */
export interface ToolDependency {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * Package name.
     */
    name: string;
    /**
     * Version range.
     */
    version: string;
    /**
     * Package registry.
     */
    type?: PackageRegistry | null;
}

/**
 * A payment's state.
 */
export type PaymentStatus = "succeeded" | "pending" | "failed";

/**
 * A point transaction's type.
 */
export type TransactionType = "purchase" | "earn" | "refund" | "bonus" | "event";

/**
 * A rating of an answer (the spec's enum also lists `null`, i.e. no rating).
 */
export type Feedback = "positive" | "negative";

/**
 * A review attachment's type.
 */
export type AttachmentType = "image" | "video" | "file";

/**
 * A subscription's billing period.
 */
export type Plan = "daily" | "weekly" | "monthly";

/**
 * A subscription's lifecycle state.
 */
export type SubscriptionStatus = "active" | "expired" | "cancelled";

/**
 * A tool input's value type.
 */
export type InputType = "string" | "number" | "boolean" | "array" | "object" | "file" | "multiselect";

/**
 * A tool's assessed risk.
 */
export type RiskLevel = "low" | "medium" | "high";

/**
 * A tool's author.
 */
export interface ToolAuthor {
    /**
     * The user.
     */
    id: string;
    /**
     * Name shown.
     */
    name: string;
    /**
     * Avatar URL.
     */
    avatar?: string | null;
    /**
     * Verified author.
     */
    verified: boolean | null;
}

/**
 * A tool's inputs, outputs and settings.
 */
export interface ToolConfig {
    /**
     * Inputs.
     */
    inputs: (ToolInput | null)[] | null;
    /**
     * Outputs.
     */
    outputs: (ToolOutput | null)[] | null;
    /**
     * Settings.
     */
    settings: (ToolSetting | null)[] | null;
}

/**
 * A tool's listing data.
 */
export interface ToolMetadata {
    /**
     * Name.
     */
    name: string;
    /**
     * URL slug, unique.
     */
    slug: string;
    /**
     * Short description.
     */
    description: string;
    /**
     * Long description.
     */
    longDescription?: string | null;
    /**
     * Category.
     */
    category?: ToolKind | null;
    /**
     * Search tags.
     */
    tags: (string | null)[] | null;
    /**
     * Icon (an emoji).
     */
    icon?: string | null;
    /**
     * Banner image URL.
     */
    banner?: string | null;
    /**
     * Who published it.
     */
    author?: ToolAuthor | null;
    /**
     * Current version (`1.0.0`).
     */
    currentVersion: string;
    /**
     * Every released version.
     */
    allVersions: (ToolVersion | null)[] | null;
    /**
     * Downloads.
     */
    downloads: number | null;
    /**
     * Stars.
     */
    stars: number | null;
    /**
     * Uses.
     */
    uses: number | null;
}

/**
 * A user's feedback on one answer.
 */
export interface InteractionFeedback {
    /**
     * Interaction id.
     */
    interactionId?: string | null;
    /**
     * Whether the user was satisfied.
     */
    satisfied?: boolean | null;
    /**
     * Free-text comment.
     */
    comment?: string | null;
}

/**
 * A user's mastery level.
 */
export type MasteryLevel = "novice" | "beginner" | "intermediate" | "advanced" | "expert" | "master";

/**
 * A user's role.
 */
export type Role = "user" | "admin" | "moderator";

/**
 * A user's social profiles.
 */
export interface SocialLinks {
    /**
     * LinkedIn URL.
     */
    linkedin?: string | null;
    /**
     * Twitter handle.
     */
    twitter?: string | null;
    /**
     * GitHub user name.
     */
    github?: string | null;
}

/**
 * An achievement's category.
 */
export type AchievementCategory = "explorer" | "communicator" | "master" | "legend";

/**
 * An application setting's area.
 */
export type ConfigCategory = "ai" | "billing" | "security" | "ui" | "features";

/**
 * An inventory item's type.
 */
export type ItemType = "cosmetic" | "badge" | "theme" | "frame" | "effect" | "exclusive";

/**
 * An invoice's payment state.
 */
export type InvoiceStatus = "paid" | "pending" | "failed" | "void";

/**
 * An item in a user's inventory.
 */
export interface InventoryItem {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * Item id (`frame-gold`).
     */
    id: string;
    /**
     * Name.
     */
    name: string;
    /**
     * Item type.
     */
    type?: ItemType | null;
    /**
     * Price in points.
     */
    price: number;
    /**
     * Rarity.
     */
    rarity?: Rarity | null;
    /**
     * Whether the user owns it.
     */
    owned: boolean | null;
    /**
     * Preview URL.
     */
    preview?: string | null;
}

/**
 * Analysis of a stored chat message.
 */
export interface MessageMetadata {
    /**
     * Language code.
     */
    language?: string | null;
    /**
     * Detected sentiment.
     */
    sentiment?: string | null;
    /**
     * Topics.
     */
    topics: (string | null)[] | null;
}

/**
 * Constraints on a tool input.
 */
export interface InputValidation {
    /**
     * Minimum length.
     */
    minLength?: number | null;
    /**
     * Maximum length.
     */
    maxLength?: number | null;
    /**
     * Regular expression.
     */
    pattern?: string | null;
    /**
     * Minimum value.
     */
    min?: number | null;
    /**
     * Maximum value.
     */
    max?: number | null;
}

/**
 * Cosmetics a user has switched on.
 */
export interface ActiveCosmetics {
    /**
     * Profile frame item id.
     */
    profileFrame?: string | null;
    /**
     * Profile theme item id.
     */
    profileTheme?: string | null;
    /**
     * Name effect item id.
     */
    nameEffect?: string | null;
    /**
     * Achievements shown on the profile.
     */
    achievements: (string | null)[] | null;
}

/**
 * Cost accounting of one answer.
 */
export interface ChatAnalyticsMetadata {
    /**
     * Tokens used.
     */
    tokensUsed?: number | null;
    /**
     * Cost in USD.
     */
    cost?: number | null;
    /**
     * Provider (`anthropic`).
     */
    provider?: string | null;
}

/**
 * Counters of a chat session.
 */
export interface SessionMetadata {
    /**
     * Number of messages.
     */
    totalMessages: number | null;
    /**
     * Tokens used.
     */
    totalTokens: number | null;
    /**
     * Duration in milliseconds.
     */
    duration: number | null;
}

/**
 * Direction of a rank change.
 */
export type Trend = "up" | "down" | "same";

/**
 * How a payment was made.
 */
export type PaymentMethod = "card" | "paypal" | "bank";

/**
 * How a user signs in.
 */
export type AuthMethod = "password" | "passwordless";

/**
 * How rare an achievement or item is.
 */
export type Rarity = "common" | "uncommon" | "rare" | "epic" | "legendary";

/**
 * Notification preferences.
 */
export interface Preferences {
    /**
     * Email notifications.
     */
    emailNotifications: boolean | null;
    /**
     * SMS notifications.
     */
    smsNotifications: boolean | null;
    /**
     * Marketing emails.
     */
    marketingEmails: boolean | null;
    /**
     * Product update emails.
     */
    productUpdates: boolean | null;
}

/**
 * One failing path of a document.
 */
export interface FieldError {
    /**
     * Dotted path with array indices, e.g. `messages.0.role`.
     */
    path: string;
    /**
     * Which rule failed.
     */
    kind: ErrorKind;
    /**
     * Mongoose's default wording, meant for people.
     */
    message: string;
    /**
     * The offending value, when there was one.
     */
    value?: unknown;
}

/**
 * One index of a collection.
 */
export interface IndexSpec {
    /**
     * MongoDB's default name: `key_dir` pairs joined by `_` (`isActive_1_lastLoginAt_-1`).
     */
    name: string;
    /**
     * Key paths and directions (1 or -1), in order.
     */
    keys: [string, number][];
    /**
     * Unique index.
     */
    unique: boolean;
    /**
     * Sparse index.
     */
    sparse: boolean;
}

/**
 * One input of a tool.
 */
export interface ToolInput {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * Input id.
     */
    id: string;
    /**
     * Label.
     */
    name: string;
    /**
     * Value type.
     */
    type?: InputType | null;
    /**
     * Help text.
     */
    description?: string | null;
    /**
     * Whether the input must be given.
     */
    required: boolean | null;
    /**
     * Default value, any JSON.
     */
    defaultValue?: unknown | null;
    /**
     * Constraints on the value.
     */
    validation?: InputValidation | null;
}

/**
 * One message of a chat session.
 */
export interface SessionMessage {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * Message id.
     */
    id: string;
    /**
     * Who wrote it.
     */
    role: MessageRole;
    /**
     * The text.
     */
    content: string;
    /**
     * When it was written.
     */
    timestamp: string | null;
    /**
     * The user's rating.
     */
    feedback?: Feedback | null;
    /**
     * Still being streamed.
     */
    isStreaming: boolean | null;
    /**
     * Streaming finished.
     */
    streamingComplete: boolean | null;
    /**
     * Attached files.
     */
    attachments: (SessionAttachment | null)[] | null;
}

/**
 * One output of a tool.
 */
export interface ToolOutput {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * Output id.
     */
    id: string;
    /**
     * Label.
     */
    name: string;
    /**
     * Value type.
     */
    type?: string | null;
    /**
     * Help text.
     */
    description?: string | null;
}

/**
 * One released version of a tool.
 */
export interface ToolVersion {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * Version id (`v1.0.0`).
     */
    versionId: string;
    /**
     * Version (`1.0.0`).
     */
    version: string;
    /**
     * Release date.
     */
    releaseDate: string | null;
    /**
     * Description.
     */
    description?: string | null;
    /**
     * Changes.
     */
    changelog?: string | null;
    /**
     * Stable release.
     */
    isStable: boolean | null;
    /**
     * Downloads.
     */
    downloads: number | null;
    /**
     * Rating, 0-5.
     */
    rating: number | null;
}

/**
 * One setting of a tool.
 */
export interface ToolSetting {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * Setting id.
     */
    id: string;
    /**
     * Label.
     */
    name: string;
    /**
     * Value type.
     */
    type?: string | null;
    /**
     * Default value, any JSON.
     */
    defaultValue?: unknown | null;
}

/**
 * One unlocked achievement.
 */
export interface Achievement {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * Achievement id (`first-agent`).
     */
    id: string;
    /**
     * Name.
     */
    name: string;
    /**
     * Description.
     */
    description?: string | null;
    /**
     * Icon (an emoji).
     */
    icon?: string | null;
    /**
     * Category.
     */
    category?: AchievementCategory | null;
    /**
     * Points awarded.
     */
    points: number | null;
    /**
     * Rarity.
     */
    rarity?: Rarity | null;
    /**
     * When it was unlocked.
     */
    unlockedAt: string | null;
    /**
     * What unlocks it.
     */
    requirements?: Requirements | null;
}

/**
 * One user's place on a leaderboard.
 */
export interface Ranking {
    /**
     * The document's ObjectId. Kept as given; the server assigns one when it stores.
     */
    _id?: string;
    /**
     * The user.
     */
    userId: string;
    /**
     * User name shown.
     */
    username: string;
    /**
     * Score.
     */
    score: number;
    /**
     * Rank, 1 is best.
     */
    rank: number;
    /**
     * Avatar URL.
     */
    avatar?: string | null;
    /**
     * Places gained since last time.
     */
    change: number | null;
    /**
     * Direction of change.
     */
    trend: Trend | null;
}

/**
 * Request details of a tool use.
 */
export interface ToolUsageMetadata {
    /**
     * Client IP address.
     */
    ipAddress?: string | null;
    /**
     * User agent.
     */
    userAgent?: string | null;
    /**
     * Session id.
     */
    sessionId?: string | null;
}

/**
 * Reward totals.
 */
export interface RewardStats {
    /**
     * Points earned.
     */
    totalEarned: number | null;
    /**
     * Points spent.
     */
    totalSpent: number | null;
    /**
     * Items owned.
     */
    itemsOwned: number | null;
    /**
     * Refunds used.
     */
    refundsUsed: number | null;
}

/**
 * What a leaderboard ranks.
 */
export type LeaderboardCategory = "points" | "achievements" | "streak" | "messages" | "tokens";

/**
 * What kind of rule a path failed. Serialised as Mongoose's `kind` strings.
 */
export type ErrorKind = "required" | "enum" | "min" | "max" | "maxlength" | "minlength" | "regexp" | "user defined" | "cast";

/**
 * What unlocks an achievement.
 */
export interface Requirements {
    /**
     * Requirement type (`agentUsage`).
     */
    type: string;
    /**
     * Threshold.
     */
    value: number;
    /**
     * Metric measured.
     */
    metric?: string | null;
}

/**
 * Where a session comes from.
 */
export interface SessionLocation {
    /**
     * Country code.
     */
    country?: string | null;
    /**
     * City.
     */
    city?: string | null;
    /**
     * IANA time zone.
     */
    timezone?: string | null;
}

/**
 * Where an analytics event happened.
 */
export interface EventContext {
    /**
     * Page URL.
     */
    url?: string | null;
    /**
     * Referrer URL.
     */
    referrer?: string | null;
    /**
     * User agent.
     */
    userAgent?: string | null;
    /**
     * Client IP address.
     */
    ipAddress?: string | null;
    /**
     * Device class.
     */
    deviceType?: string | null;
    /**
     * Browser.
     */
    browser?: string | null;
    /**
     * Operating system.
     */
    os?: string | null;
}

/**
 * Who wrote a message.
 */
export type MessageRole = "user" | "assistant";


/**
 * The spec's `calculateExpiryDate(plan, startDate)`: the ISO 8601 string
 * of the end of a subscription started at `startDate` on `plan`. Throws
 * `Invalid plan` (as the spec does) for an unknown plan, and for a start
 * date that is not a date.
 */
export function calculateExpiryDate(plan: Plan, startDate: Date | string | number): string;
