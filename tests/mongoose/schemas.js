'use strict';

/**
 * The 17 Mongoose schemas of FRONTEND-LIB-DATABASE-SPECIFICATION.md, copied
 * faithfully (fields, options, hooks, methods, statics and .index() calls),
 * registered as Mongoose models on the default `mongoose` instance.
 *
 * Reusable module: the vector generator, the Express+Mongoose benchmark server
 * and the parity tests all require this file. It opens no connection; its only
 * side effects are (1) installing a settable clock as `Date.now` (see below)
 * and (2) registering the models.
 *
 * Exports:
 *   mongoose       the mongoose instance the models are registered on
 *   models         { <MongoDB collection name>: Model }   (17 entries)
 *   modelsByName   { <model name>: Model }
 *   schemas        { <collection name>: Schema }
 *   hooks          { users: { preSave } }: the spec's pre('save') function, as registered
 *   setFakeNow(d)  make Date.now() return d (Date | ISO string | epoch ms); null = real time
 *   clearFakeNow() back to the real clock
 */

const mongoose = require('mongoose');

// ---------------------------------------------------------------------------
// Reproducible clock.
//
// `default: Date.now` captures the *function reference* at schema definition
// time, so Date.now must be replaced BEFORE the schemas below are defined.
// The wrapper returns `global.__fakeNow` (epoch ms) when it is set, the real
// time otherwise. Mongoose compares `defaultValue === Date.now` (to decide how
// to call a default function); that still holds because the schemas capture
// the wrapper, which is Date.now from here on.
// ---------------------------------------------------------------------------
if (!Date.now.__fakeable) {
  const realNow = Date.now;
  const fakeableNow = function now() {
    const fake = global.__fakeNow;
    return fake === undefined || fake === null ? realNow() : fake;
  };
  fakeableNow.__fakeable = true;
  fakeableNow.realNow = realNow;
  Date.now = fakeableNow;
}

function setFakeNow(value) {
  if (value === undefined || value === null) {
    global.__fakeNow = undefined;
    return;
  }
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new Error(`setFakeNow: invalid time ${JSON.stringify(value)}`);
  global.__fakeNow = ms;
}

function clearFakeNow() {
  global.__fakeNow = undefined;
}

// ===========================================================================
// 1.1 Users
// ===========================================================================
const userSchema = new mongoose.Schema(
  {
    id: { type: String, required: true, unique: true },
    email: { type: String, required: true, unique: true, lowercase: true },
    name: { type: String, trim: true },
    password: { type: String },
    authMethod: {
      type: String,
      enum: ['password', 'passwordless'],
      default: 'password',
    },
    emailVerified: { type: Boolean, default: false },
    avatar: { type: String },
    bio: { type: String, maxlength: 500 },
    phoneNumber: { type: String },
    location: { type: String },
    timezone: { type: String },
    profession: { type: String },
    company: { type: String },
    website: { type: String },
    socialLinks: {
      linkedin: { type: String },
      twitter: { type: String },
      github: { type: String },
    },
    preferences: {
      emailNotifications: { type: Boolean, default: true },
      smsNotifications: { type: Boolean, default: false },
      marketingEmails: { type: Boolean, default: true },
      productUpdates: { type: Boolean, default: true },
    },
    lastLoginAt: { type: Date },
    isActive: { type: Boolean, default: true },
    role: {
      type: String,
      enum: ['user', 'admin', 'moderator'],
      default: 'user',
    },
    resetPasswordToken: { type: String },
    resetPasswordExpires: { type: Date },
    sessionId: { type: String },
    sessionExpiry: { type: Date },
    twoFactorEnabled: { type: Boolean, default: false },
    twoFactorSecret: { type: String },
    tempTwoFactorSecret: { type: String },
    backupCodes: [{ type: String }],
    tempBackupCodes: [{ type: String }],
    joinedAt: { type: Date, default: Date.now },
  },
  { timestamps: true }
);

userSchema.index({ id: 1 }, { unique: true });
userSchema.index({ email: 1 }, { unique: true });
userSchema.index({ sessionId: 1 });
userSchema.index({ resetPasswordToken: 1 });
userSchema.index({ 'socialLinks.twitter': 1 });
userSchema.index({ 'socialLinks.github': 1 });
userSchema.index({ role: 1 });
userSchema.index({ isActive: 1, lastLoginAt: -1 });
userSchema.index({ createdAt: -1 });

// The spec's hook, named so the vector generator can run this very function
// on the cast document (see generate-vectors.js, `users-pre-save`).
function userPreSave(next) {
  // Email validation
  const emailRegex = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
  if (!emailRegex.test(this.email)) {
    return next(new Error('Invalid email format'));
  }

  // Password strength for password auth
  if (
    this.authMethod === 'password' &&
    this.password &&
    this.password.length < 8
  ) {
    return next(new Error('Password must be at least 8 characters'));
  }

  // Two-factor backup codes validation
  if (
    this.twoFactorEnabled &&
    (!this.backupCodes || this.backupCodes.length < 8)
  ) {
    return next(
      new Error('Two-factor enabled users must have at least 8 backup codes')
    );
  }

  next();
}
userSchema.pre('save', userPreSave);

// ===========================================================================
// 1.2 User Sessions
// ===========================================================================
const userSessionSchema = new mongoose.Schema(
  {
    userId: {
      type: mongoose.Schema.Types.ObjectId,
      ref: 'User',
      required: true,
    },
    sessionId: { type: String, required: true, unique: true },
    ipAddress: { type: String },
    userAgent: { type: String },
    deviceType: { type: String, enum: ['desktop', 'mobile', 'tablet'] },
    browser: { type: String },
    os: { type: String },
    location: {
      country: { type: String },
      city: { type: String },
      timezone: { type: String },
    },
    isActive: { type: Boolean, default: true },
    expiresAt: { type: Date, required: true },
    lastActivityAt: { type: Date, default: Date.now },
  },
  { timestamps: true }
);

userSessionSchema.index({ userId: 1, createdAt: -1 });
userSessionSchema.index({ sessionId: 1 }, { unique: true });
userSessionSchema.index({ expiresAt: 1 });
userSessionSchema.index({ isActive: 1, lastActivityAt: -1 });

// ===========================================================================
// 2.1 Agent Subscriptions (collection 'subscriptions')
// ===========================================================================
const agentSubscriptionSchema = new mongoose.Schema(
  {
    userId: { type: String, required: true, index: true },
    agentId: { type: String, required: true, index: true },
    plan: {
      type: String,
      enum: ['daily', 'weekly', 'monthly'],
      required: true,
    },
    price: { type: Number, required: true, min: 0 },
    status: {
      type: String,
      enum: ['active', 'expired', 'cancelled'],
      default: 'active',
    },
    startDate: { type: Date, default: Date.now },
    expiryDate: { type: Date, required: true },
    stripeSubscriptionId: { type: String, sparse: true, index: true },
  },
  { timestamps: true, collection: 'subscriptions' }
);

agentSubscriptionSchema.index({ userId: 1, agentId: 1 }, { unique: true });
agentSubscriptionSchema.index({ userId: 1, status: 1 });
agentSubscriptionSchema.index({ agentId: 1, status: 1 });
agentSubscriptionSchema.index({ status: 1, expiryDate: 1 });
agentSubscriptionSchema.index({ stripeSubscriptionId: 1 });

agentSubscriptionSchema.methods.isValid = function () {
  return this.status === 'active' && this.expiryDate > new Date();
};

agentSubscriptionSchema.statics.calculateExpiryDate = function (
  plan,
  startDate
) {
  const date = new Date(startDate);
  switch (plan) {
    case 'daily':
      date.setDate(date.getDate() + 1);
      break;
    case 'weekly':
      date.setDate(date.getDate() + 7);
      break;
    case 'monthly':
      date.setMonth(date.getMonth() + 1);
      break;
    default:
      throw new Error('Invalid plan');
  }
  return date;
};

// ===========================================================================
// 2.2 Subscription Plans
// ===========================================================================
const subscriptionPlanSchema = new mongoose.Schema(
  {
    id: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    displayName: { type: String, required: true },
    price: { type: Number, required: true, min: 0 },
    period: { type: String, required: true },
    description: { type: String, required: true },
    priceFormatted: { type: String, required: true },
    features: [{ type: String }],
    isActive: { type: Boolean, default: true },
  },
  { timestamps: true }
);

subscriptionPlanSchema.index({ id: 1 }, { unique: true });
subscriptionPlanSchema.index({ isActive: 1 });

// ===========================================================================
// 3.1 Chat Sessions
// ===========================================================================
const chatSessionSchema = new mongoose.Schema(
  {
    id: { type: String, required: true, unique: true },
    userId: { type: String, required: true, index: true },
    agentId: { type: String, index: true },
    name: { type: String, required: true },
    messages: [
      {
        id: { type: String, required: true },
        role: { type: String, enum: ['user', 'assistant'], required: true },
        content: { type: String, required: true },
        timestamp: { type: Date, default: Date.now },
        feedback: { type: String, enum: ['positive', 'negative', null] },
        isStreaming: { type: Boolean, default: false },
        streamingComplete: { type: Boolean, default: true },
        attachments: [
          {
            name: { type: String, required: true },
            size: { type: Number },
            type: { type: String },
            url: { type: String },
            data: { type: String },
          },
        ],
      },
    ],
    lastUpdated: { type: Date, default: Date.now },
    isActive: { type: Boolean, default: true },
    metadata: {
      totalMessages: { type: Number, default: 0 },
      totalTokens: { type: Number, default: 0 },
      duration: { type: Number, default: 0 },
    },
  },
  { timestamps: true }
);

chatSessionSchema.index({ id: 1 }, { unique: true });
chatSessionSchema.index({ userId: 1, lastUpdated: -1 });
chatSessionSchema.index({ agentId: 1, createdAt: -1 });
chatSessionSchema.index({ isActive: 1 });

// ===========================================================================
// 3.2 Chat Messages
// ===========================================================================
const chatMessageSchema = new mongoose.Schema(
  {
    sessionId: { type: String, required: true, index: true },
    messageId: { type: String, required: true, unique: true },
    userId: { type: String, required: true, index: true },
    agentId: { type: String, index: true },
    role: { type: String, enum: ['user', 'assistant'], required: true },
    content: { type: String, required: true },
    tokens: { type: Number },
    model: { type: String },
    responseTime: { type: Number },
    feedback: { type: String, enum: ['positive', 'negative', null] },
    attachments: [
      {
        name: { type: String, required: true },
        size: { type: Number },
        type: { type: String },
        url: { type: String },
      },
    ],
    metadata: {
      language: { type: String },
      sentiment: { type: String },
      topics: [{ type: String }],
    },
  },
  { timestamps: true }
);

chatMessageSchema.index({ messageId: 1 }, { unique: true });
chatMessageSchema.index({ sessionId: 1, createdAt: 1 });
chatMessageSchema.index({ userId: 1, createdAt: -1 });
chatMessageSchema.index({ agentId: 1, createdAt: -1 });
chatMessageSchema.index({ feedback: 1 });

// ===========================================================================
// 4.1 Analytics Events (no timestamps option in the spec)
// ===========================================================================
const analyticsEventSchema = new mongoose.Schema({
  visitorId: { type: String, required: true, index: true },
  sessionId: { type: String, required: true, index: true },
  userId: { type: String, index: true },
  eventType: { type: String, required: true },
  eventName: { type: String, required: true },
  properties: { type: mongoose.Schema.Types.Mixed },
  context: {
    url: { type: String },
    referrer: { type: String },
    userAgent: { type: String },
    ipAddress: { type: String },
    deviceType: { type: String },
    browser: { type: String },
    os: { type: String },
  },
  timestamp: { type: Date, default: Date.now, index: true },
});

analyticsEventSchema.index({ visitorId: 1, timestamp: -1 });
analyticsEventSchema.index({ sessionId: 1, timestamp: -1 });
analyticsEventSchema.index({ userId: 1, timestamp: -1 });
analyticsEventSchema.index({ eventType: 1, timestamp: -1 });
analyticsEventSchema.index({ eventName: 1, timestamp: -1 });
analyticsEventSchema.index({ 'context.url': 1 });
analyticsEventSchema.index({ timestamp: -1 });

// ===========================================================================
// 4.2 Chat Analytics
// ===========================================================================
const chatAnalyticsSchema = new mongoose.Schema(
  {
    userId: { type: String, required: true, index: true },
    agentId: { type: String, required: true, index: true },
    agentName: { type: String, required: true },
    userMessage: { type: String, required: true },
    aiResponse: { type: String, required: true },
    responseTime: { type: Number, required: true },
    model: { type: String, required: true },
    language: { type: String, default: 'en' },
    personalityScore: { type: Number, min: 0, max: 100 },
    feedback: {
      interactionId: { type: String },
      satisfied: { type: Boolean },
      comment: { type: String },
    },
    metadata: {
      tokensUsed: { type: Number },
      cost: { type: Number },
      provider: { type: String },
    },
  },
  { timestamps: true }
);

chatAnalyticsSchema.index({ userId: 1, createdAt: -1 });
chatAnalyticsSchema.index({ agentId: 1, createdAt: -1 });
chatAnalyticsSchema.index({ 'feedback.satisfied': 1 });
chatAnalyticsSchema.index({ responseTime: 1 });
chatAnalyticsSchema.index({ personalityScore: -1 });

// ===========================================================================
// 4.3 Tool Usage Analytics
// ===========================================================================
const toolUsageAnalyticsSchema = new mongoose.Schema(
  {
    userId: { type: String, index: true },
    toolName: { type: String, required: true },
    toolCategory: {
      type: String,
      enum: ['network', 'data', 'developer', 'security', 'web'],
      required: true,
    },
    action: { type: String, required: true },
    input: { type: mongoose.Schema.Types.Mixed },
    output: { type: mongoose.Schema.Types.Mixed },
    success: { type: Boolean, required: true },
    error: { type: String },
    executionTime: { type: Number },
    metadata: {
      ipAddress: { type: String },
      userAgent: { type: String },
      sessionId: { type: String },
    },
  },
  { timestamps: true }
);

toolUsageAnalyticsSchema.index({ userId: 1, createdAt: -1 });
toolUsageAnalyticsSchema.index({ toolName: 1, createdAt: -1 });
toolUsageAnalyticsSchema.index({ toolCategory: 1, createdAt: -1 });
toolUsageAnalyticsSchema.index({ success: 1 });
toolUsageAnalyticsSchema.index({ executionTime: 1 });

// ===========================================================================
// 5.1 User Achievements
// ===========================================================================
const userAchievementsSchema = new mongoose.Schema(
  {
    userId: { type: String, required: true, unique: true },
    achievements: [
      {
        id: { type: String, required: true },
        name: { type: String, required: true },
        description: { type: String },
        icon: { type: String },
        category: {
          type: String,
          enum: ['explorer', 'communicator', 'master', 'legend'],
        },
        points: { type: Number, default: 0 },
        rarity: {
          type: String,
          enum: ['common', 'uncommon', 'rare', 'epic', 'legendary'],
        },
        unlockedAt: { type: Date, default: Date.now },
        requirements: {
          type: { type: String, required: true },
          value: { type: Number, required: true },
          metric: { type: String },
        },
      },
    ],
    totalPoints: { type: Number, default: 0 },
    totalUnlocked: { type: Number, default: 0 },
    totalPossible: { type: Number, default: 50 },
    progress: { type: Map, of: Number },
    lastUnlockedAt: { type: Date },
    currentStreak: { type: Number, default: 0 },
    masteryLevel: {
      type: String,
      enum: [
        'novice',
        'beginner',
        'intermediate',
        'advanced',
        'expert',
        'master',
      ],
      default: 'novice',
    },
  },
  { timestamps: true }
);

userAchievementsSchema.index({ userId: 1 }, { unique: true });
userAchievementsSchema.index({ totalPoints: -1 });
userAchievementsSchema.index({ masteryLevel: 1 });
userAchievementsSchema.index({ 'achievements.category': 1 });

// ===========================================================================
// 5.2 User Rewards
// ===========================================================================
const userRewardsSchema = new mongoose.Schema(
  {
    userId: { type: String, required: true, unique: true },
    totalPoints: { type: Number, default: 0, min: 0 },
    availablePoints: { type: Number, default: 0, min: 0 },
    spentPoints: { type: Number, default: 0, min: 0 },
    inventory: [
      {
        id: { type: String, required: true },
        name: { type: String, required: true },
        type: {
          type: String,
          enum: ['cosmetic', 'badge', 'theme', 'frame', 'effect', 'exclusive'],
        },
        price: { type: Number, required: true },
        rarity: {
          type: String,
          enum: ['common', 'uncommon', 'rare', 'epic', 'legendary'],
        },
        owned: { type: Boolean, default: false },
        preview: { type: String },
      },
    ],
    transactions: [
      {
        id: { type: String, required: true },
        timestamp: { type: Date, default: Date.now },
        type: {
          type: String,
          enum: ['purchase', 'earn', 'refund', 'bonus', 'event'],
        },
        amount: { type: Number, required: true },
        description: { type: String, required: true },
        relatedItem: { type: String },
        refundable: { type: Boolean, default: false },
      },
    ],
    activeCosmetics: {
      profileFrame: { type: String },
      profileTheme: { type: String },
      nameEffect: { type: String },
      achievements: [{ type: String }],
    },
    stats: {
      totalEarned: { type: Number, default: 0 },
      totalSpent: { type: Number, default: 0 },
      itemsOwned: { type: Number, default: 0 },
      refundsUsed: { type: Number, default: 0 },
    },
  },
  { timestamps: true }
);

userRewardsSchema.index({ userId: 1 }, { unique: true });
userRewardsSchema.index({ totalPoints: -1 });
userRewardsSchema.index({ availablePoints: -1 });
userRewardsSchema.index({ 'inventory.type': 1 });

// ===========================================================================
// 5.3 Leaderboard
// ===========================================================================
const leaderboardSchema = new mongoose.Schema(
  {
    category: {
      type: String,
      enum: ['points', 'achievements', 'streak', 'messages', 'tokens'],
      required: true,
    },
    period: {
      type: String,
      enum: ['daily', 'weekly', 'monthly', 'all-time'],
      required: true,
    },
    rankings: [
      {
        userId: { type: String, required: true },
        username: { type: String, required: true },
        score: { type: Number, required: true },
        rank: { type: Number, required: true },
        avatar: { type: String },
        change: { type: Number, default: 0 },
        trend: { type: String, enum: ['up', 'down', 'same'], default: 'same' },
      },
    ],
    totalParticipants: { type: Number, default: 0 },
    lastUpdated: { type: Date, default: Date.now },
    nextUpdate: { type: Date, required: true },
  },
  { timestamps: true }
);

leaderboardSchema.index({ category: 1, period: 1 }, { unique: true });
leaderboardSchema.index({ 'rankings.userId': 1 });
leaderboardSchema.index({ lastUpdated: -1 });

// ===========================================================================
// 6.1 Tools
// ===========================================================================
const toolSchema = new mongoose.Schema(
  {
    id: { type: String, required: true, unique: true },
    metadata: {
      name: { type: String, required: true },
      slug: { type: String, required: true, unique: true },
      description: { type: String, required: true },
      longDescription: { type: String },
      category: {
        type: String,
        enum: [
          'data-processing',
          'integration',
          'analytics',
          'automation',
          'utility',
          'ai',
          'custom',
        ],
      },
      tags: [{ type: String }],
      icon: { type: String },
      banner: { type: String },
      author: {
        id: { type: String, required: true },
        name: { type: String, required: true },
        avatar: { type: String },
        verified: { type: Boolean, default: false },
      },
      currentVersion: { type: String, required: true },
      allVersions: [
        {
          versionId: { type: String, required: true },
          version: { type: String, required: true },
          releaseDate: { type: Date, default: Date.now },
          description: { type: String },
          changelog: { type: String },
          isStable: { type: Boolean, default: true },
          downloads: { type: Number, default: 0 },
          rating: { type: Number, min: 0, max: 5, default: 0 },
        },
      ],
      downloads: { type: Number, default: 0 },
      stars: { type: Number, default: 0 },
      uses: { type: Number, default: 0 },
    },
    config: {
      inputs: [
        {
          id: { type: String, required: true },
          name: { type: String, required: true },
          type: {
            type: String,
            enum: [
              'string',
              'number',
              'boolean',
              'array',
              'object',
              'file',
              'multiselect',
            ],
          },
          description: { type: String },
          required: { type: Boolean, default: false },
          defaultValue: { type: mongoose.Schema.Types.Mixed },
          validation: {
            minLength: { type: Number },
            maxLength: { type: Number },
            pattern: { type: String },
            min: { type: Number },
            max: { type: Number },
          },
        },
      ],
      outputs: [
        {
          id: { type: String, required: true },
          name: { type: String, required: true },
          type: { type: String },
          description: { type: String },
        },
      ],
      settings: [
        {
          id: { type: String, required: true },
          name: { type: String, required: true },
          type: { type: String },
          defaultValue: { type: mongoose.Schema.Types.Mixed },
        },
      ],
    },
    hooks: [
      {
        name: { type: String, required: true },
        type: { type: String, required: true },
        code: { type: String, required: true },
      },
    ],
    dependencies: [
      {
        name: { type: String, required: true },
        version: { type: String, required: true },
        type: { type: String, enum: ['npm', 'pip', 'gem'] },
      },
    ],
    codeUrl: { type: String, required: true },
    mainFunction: { type: String, required: true },
    published: { type: Boolean, default: false },
    verified: { type: Boolean, default: false },
    featured: { type: Boolean, default: false },
    requiredPermissions: [{ type: String }],
    sandboxed: { type: Boolean, default: true },
    riskLevel: {
      type: String,
      enum: ['low', 'medium', 'high'],
      default: 'low',
    },
  },
  { timestamps: true }
);

toolSchema.index({ id: 1 }, { unique: true });
toolSchema.index({ 'metadata.slug': 1 }, { unique: true });
toolSchema.index({ 'metadata.category': 1 });
toolSchema.index({ 'metadata.tags': 1 });
toolSchema.index({ 'metadata.author.id': 1 });
toolSchema.index({ published: 1, featured: 1 });
toolSchema.index({ verified: 1 });
toolSchema.index({ 'metadata.downloads': -1 });
toolSchema.index({ 'metadata.stars': -1 });

// ===========================================================================
// 6.2 Tool Reviews
// ===========================================================================
const toolReviewSchema = new mongoose.Schema(
  {
    toolId: { type: String, required: true, index: true },
    userId: { type: String, required: true, index: true },
    rating: { type: Number, required: true, min: 1, max: 5 },
    title: { type: String, required: true, maxlength: 100 },
    content: { type: String, required: true },
    pros: [{ type: String }],
    cons: [{ type: String }],
    version: { type: String },
    helpful: { type: Number, default: 0 },
    notHelpful: { type: Number, default: 0 },
    verified: { type: Boolean, default: false },
    attachments: [
      {
        type: { type: String, enum: ['image', 'video', 'file'] },
        url: { type: String, required: true },
        filename: { type: String },
      },
    ],
  },
  { timestamps: true }
);

toolReviewSchema.index({ toolId: 1, createdAt: -1 });
toolReviewSchema.index({ userId: 1 });
toolReviewSchema.index({ rating: -1 });
toolReviewSchema.index({ verified: 1 });
toolReviewSchema.index({ helpful: -1 });

// ===========================================================================
// 7.1 Invoices
// ===========================================================================
const invoiceSchema = new mongoose.Schema(
  {
    userId: {
      type: mongoose.Schema.Types.ObjectId,
      ref: 'User',
      required: true,
    },
    email: { type: String, required: true },
    stripeInvoiceId: { type: String },
    stripeSubscriptionId: { type: String, required: true },
    agentId: { type: String, required: true },
    agentName: { type: String, required: true },
    plan: {
      type: String,
      enum: ['daily', 'weekly', 'monthly'],
      required: true,
    },
    amount: { type: Number, required: true },
    currency: { type: String, default: 'USD' },
    status: {
      type: String,
      enum: ['paid', 'pending', 'failed', 'void'],
      default: 'pending',
    },
    paidAt: { type: Date },
  },
  { timestamps: true }
);

invoiceSchema.index({ userId: 1, createdAt: -1 });
invoiceSchema.index({ stripeInvoiceId: 1 });
invoiceSchema.index({ stripeSubscriptionId: 1 });
invoiceSchema.index({ status: 1 });
invoiceSchema.index({ agentId: 1 });

// ===========================================================================
// 7.2 Payments
// ===========================================================================
const paymentSchema = new mongoose.Schema(
  {
    userId: {
      type: mongoose.Schema.Types.ObjectId,
      ref: 'User',
      required: true,
    },
    email: { type: String, required: true },
    stripePaymentIntentId: { type: String },
    stripeChargeId: { type: String },
    stripeInvoiceId: { type: String },
    stripeSubscriptionId: { type: String, required: true },
    agentId: { type: String, required: true },
    agentName: { type: String, required: true },
    plan: {
      type: String,
      enum: ['daily', 'weekly', 'monthly'],
      required: true,
    },
    amount: { type: Number, required: true },
    currency: { type: String, default: 'USD' },
    status: {
      type: String,
      enum: ['succeeded', 'pending', 'failed'],
      default: 'pending',
    },
    paymentMethod: {
      type: String,
      enum: ['card', 'paypal', 'bank'],
      default: 'card',
    },
    last4: { type: String },
    brand: { type: String },
    paidAt: { type: Date, default: Date.now },
  },
  { timestamps: true }
);

paymentSchema.index({ userId: 1, createdAt: -1 });
paymentSchema.index({ stripePaymentIntentId: 1 });
paymentSchema.index({ stripeChargeId: 1 });
paymentSchema.index({ stripeSubscriptionId: 1 });
paymentSchema.index({ status: 1 });
paymentSchema.index({ paymentMethod: 1 });

// ===========================================================================
// 8.1 Application Config
// ===========================================================================
const appConfigSchema = new mongoose.Schema(
  {
    key: { type: String, required: true, unique: true },
    value: { type: mongoose.Schema.Types.Mixed, required: true },
    description: { type: String },
    isPublic: { type: Boolean, default: false },
    lastUpdatedBy: { type: String },
    category: {
      type: String,
      enum: ['ai', 'billing', 'security', 'ui', 'features'],
    },
  },
  { timestamps: true }
);

appConfigSchema.index({ key: 1 }, { unique: true });
appConfigSchema.index({ category: 1 });
appConfigSchema.index({ isPublic: 1 });

// ===========================================================================
// Model registration
// ===========================================================================

// [MongoDB collection name, model name, schema]
const DEFINITIONS = [
  ['users', 'User', userSchema],
  ['usersessions', 'UserSession', userSessionSchema],
  ['subscriptions', 'AgentSubscription', agentSubscriptionSchema],
  ['subscriptionplans', 'SubscriptionPlan', subscriptionPlanSchema],
  ['chatsessions', 'ChatSession', chatSessionSchema],
  ['chatmessages', 'ChatMessage', chatMessageSchema],
  ['analyticsevents', 'AnalyticsEvent', analyticsEventSchema],
  ['chatanalytics', 'ChatAnalytics', chatAnalyticsSchema],
  ['toolusageanalytics', 'ToolUsageAnalytics', toolUsageAnalyticsSchema],
  ['userachievements', 'UserAchievements', userAchievementsSchema],
  ['userrewards', 'UserRewards', userRewardsSchema],
  ['leaderboards', 'Leaderboard', leaderboardSchema],
  ['tools', 'Tool', toolSchema],
  ['toolreviews', 'ToolReview', toolReviewSchema],
  ['invoices', 'Invoice', invoiceSchema],
  ['payments', 'Payment', paymentSchema],
  ['appconfigs', 'AppConfig', appConfigSchema],
];

const models = {};
const modelsByName = {};
const schemas = {};

for (const [collectionName, modelName, schema] of DEFINITIONS) {
  const Model = mongoose.model(modelName, schema);
  if (Model.collection.collectionName !== collectionName) {
    throw new Error(
      `schemas.js: model ${modelName} maps to collection ` +
        `"${Model.collection.collectionName}", expected "${collectionName}"`
    );
  }
  models[collectionName] = Model;
  modelsByName[modelName] = Model;
  schemas[collectionName] = schema;
}

const hooks = { users: { preSave: userPreSave } };
if (!userSchema.s.hooks._pres.get('save').some((h) => h.fn === userPreSave)) {
  throw new Error("schemas.js: the users pre('save') hook is not registered on the schema");
}

module.exports = {
  mongoose,
  models,
  modelsByName,
  schemas,
  hooks,
  setFakeNow,
  clearFakeNow,
};
