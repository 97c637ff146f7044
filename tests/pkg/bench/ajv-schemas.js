// JSON Schemas equivalent to the spec's users, chatsessions and tools
// schemas, for the Ajv comparison in speed.mjs: the same fields, types,
// required paths, enums, bounds, defaults and email pattern. (Ajv cannot
// lowercase or trim, and without ajv-formats dates are plain strings.)

const str = (extra = {}) => ({ type: ['string', 'null'], ...extra });
const num = (extra = {}) => ({ type: ['number', 'null'], ...extra });
const bool = (def) => ({ type: ['boolean', 'null'], ...(def === undefined ? {} : { default: def }) });
const date = (extra = {}) => ({ type: ['string', 'null'], ...extra });
const oneOf = (values, def) => ({ enum: [...values, null], ...(def === undefined ? {} : { default: def }) });
const arr = (items) => ({ type: ['array', 'null'], items, default: [] });
const obj = (properties, required = [], extra = {}) => ({
  type: ['object', 'null'],
  properties,
  required,
  additionalProperties: false,
  ...extra,
});
const NOW = '2024-01-15T10:30:00.000Z'; // Ajv defaults are constants: the vectors' clock
const document = (properties, required) => ({
  ...obj({ _id: { type: 'string', pattern: '^[0-9a-fA-F]{24}$' }, ...properties, createdAt: date(), updatedAt: date(), __v: num() }, required),
  type: 'object',
});

export const users = document(
  {
    id: { type: 'string', minLength: 1 },
    email: { type: 'string', minLength: 1, pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$' },
    name: str(),
    password: str(),
    authMethod: oneOf(['password', 'passwordless'], 'password'),
    emailVerified: bool(false),
    avatar: str(),
    bio: str({ maxLength: 500 }),
    phoneNumber: str(),
    location: str(),
    timezone: str(),
    profession: str(),
    company: str(),
    website: str(),
    socialLinks: obj({ linkedin: str(), twitter: str(), github: str() }),
    preferences: obj(
      {
        emailNotifications: bool(true),
        smsNotifications: bool(false),
        marketingEmails: bool(true),
        productUpdates: bool(true),
      },
      [],
      { default: {} },
    ),
    lastLoginAt: date(),
    isActive: bool(true),
    role: oneOf(['user', 'admin', 'moderator'], 'user'),
    resetPasswordToken: str(),
    resetPasswordExpires: date(),
    sessionId: str(),
    sessionExpiry: date(),
    twoFactorEnabled: bool(false),
    twoFactorSecret: str(),
    tempTwoFactorSecret: str(),
    backupCodes: arr(str()),
    tempBackupCodes: arr(str()),
    joinedAt: date({ default: NOW }),
  },
  ['id', 'email'],
);

const sessionAttachment = obj(
  { _id: { type: 'string' }, name: { type: 'string', minLength: 1 }, size: num(), type: str(), url: str(), data: str() },
  ['name'],
);
const sessionMessage = obj(
  {
    _id: { type: 'string' },
    id: { type: 'string', minLength: 1 },
    role: { enum: ['user', 'assistant'] },
    content: { type: 'string', minLength: 1 },
    timestamp: date({ default: NOW }),
    feedback: oneOf(['positive', 'negative']),
    isStreaming: bool(false),
    streamingComplete: bool(true),
    attachments: arr(sessionAttachment),
  },
  ['id', 'role', 'content'],
);

export const chatsessions = document(
  {
    id: { type: 'string', minLength: 1 },
    userId: { type: 'string', minLength: 1 },
    agentId: str(),
    name: { type: 'string', minLength: 1 },
    messages: arr(sessionMessage),
    lastUpdated: date({ default: NOW }),
    isActive: bool(true),
    metadata: obj({ totalMessages: num({ default: 0 }), totalTokens: num({ default: 0 }), duration: num({ default: 0 }) }),
  },
  ['id', 'userId', 'name'],
);

const sub = (properties, required) => obj({ _id: { type: 'string' }, ...properties }, required);
export const tools = document(
  {
    id: { type: 'string', minLength: 1 },
    metadata: obj(
      {
        name: { type: 'string', minLength: 1 },
        slug: { type: 'string', minLength: 1 },
        description: { type: 'string', minLength: 1 },
        longDescription: str(),
        category: oneOf(['data-processing', 'integration', 'analytics', 'automation', 'utility', 'ai', 'custom']),
        tags: arr(str()),
        icon: str(),
        banner: str(),
        author: obj(
          { id: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1 }, avatar: str(), verified: bool(false) },
          ['id', 'name'],
        ),
        currentVersion: { type: 'string', minLength: 1 },
        allVersions: arr(
          sub(
            {
              versionId: { type: 'string', minLength: 1 },
              version: { type: 'string', minLength: 1 },
              releaseDate: date({ default: NOW }),
              description: str(),
              changelog: str(),
              isStable: bool(true),
              downloads: num({ default: 0 }),
              rating: num({ minimum: 0, maximum: 5, default: 0 }),
            },
            ['versionId', 'version'],
          ),
        ),
        downloads: num({ default: 0 }),
        stars: num({ default: 0 }),
        uses: num({ default: 0 }),
      },
      ['name', 'slug', 'description', 'currentVersion'],
    ),
    config: obj({
      inputs: arr(
        sub(
          {
            id: { type: 'string', minLength: 1 },
            name: { type: 'string', minLength: 1 },
            type: oneOf(['string', 'number', 'boolean', 'array', 'object', 'file', 'multiselect']),
            description: str(),
            required: bool(false),
            defaultValue: {},
            validation: obj({ minLength: num(), maxLength: num(), pattern: str(), min: num(), max: num() }),
          },
          ['id', 'name'],
        ),
      ),
      outputs: arr(sub({ id: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1 }, type: str(), description: str() }, ['id', 'name'])),
      settings: arr(sub({ id: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1 }, type: str(), defaultValue: {} }, ['id', 'name'])),
    }),
    hooks: arr(sub({ name: { type: 'string', minLength: 1 }, type: { type: 'string', minLength: 1 }, code: { type: 'string', minLength: 1 } }, ['name', 'type', 'code'])),
    dependencies: arr(sub({ name: { type: 'string', minLength: 1 }, version: { type: 'string', minLength: 1 }, type: oneOf(['npm', 'pip', 'gem']) }, ['name', 'version'])),
    codeUrl: { type: 'string', minLength: 1 },
    mainFunction: { type: 'string', minLength: 1 },
    published: bool(false),
    verified: bool(false),
    featured: bool(false),
    requiredPermissions: arr(str()),
    sandboxed: bool(true),
    riskLevel: oneOf(['low', 'medium', 'high'], 'low'),
  },
  ['id', 'codeUrl', 'mainFunction'],
);
