// Zod schemas equivalent to the spec's users, chatsessions and tools
// schemas (the same fields, types, required paths, enums, bounds, defaults
// and email pattern as ajv-schemas.js), for the Zod comparison in speed.mjs
// and speed-chromium.mjs: issue 16 measures the package against Zod on
// these three collections. One definition, built from either API: Zod 4
// (`zod`) and Zod 3 (`zod/v3`, the Zod 3 API the zod 4 package ships), as
// `zod4` and `zod3`. Zod neither casts like Mongoose nor lowercases or trims;
// unknown keys are dropped (both versions' default), as Mongoose's strict
// mode does. (A `.default()` value is returned as it is by Zod 4 and parsed
// by Zod 3; both accept and refuse the same documents.)
// Plain ES module without Node imports: speed-chromium.mjs bundles it.
import { z as z4 } from 'zod';
import { z as z3 } from 'zod/v3';

/** `{ users, chatsessions, tools }`: the three schemas built with the Zod API `z` (Zod 4's or Zod 3's). */
export function zodSchemas(z) {
  const NOW = '2024-01-15T10:30:00.000Z'; // Zod defaults are constants: the vectors' clock
  const str = () => z.string().nullish();
  const num = () => z.number().nullish();
  const bool = (def) => (def === undefined ? z.boolean().nullish() : z.boolean().nullish().default(def));
  const date = (def) => (def === undefined ? z.string().nullish() : z.string().nullish().default(def));
  const oneOf = (values, def) => (def === undefined ? z.enum(values).nullish() : z.enum(values).nullish().default(def));
  const arr = (item) => z.array(item).nullish().default([]);
  const needed = () => z.string().min(1);
  const document = (shape) =>
    z.object({ _id: z.string().regex(/^[0-9a-fA-F]{24}$/).optional(), ...shape, createdAt: date(), updatedAt: date(), __v: num() });

  const users = document({
    id: needed(),
    email: z.string().min(1).regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/),
    name: str(),
    password: str(),
    authMethod: oneOf(['password', 'passwordless'], 'password'),
    emailVerified: bool(false),
    avatar: str(),
    bio: z.string().max(500).nullish(),
    phoneNumber: str(),
    location: str(),
    timezone: str(),
    profession: str(),
    company: str(),
    website: str(),
    socialLinks: z.object({ linkedin: str(), twitter: str(), github: str() }).nullish(),
    preferences: z
      .object({
        emailNotifications: bool(true),
        smsNotifications: bool(false),
        marketingEmails: bool(true),
        productUpdates: bool(true),
      })
      .nullish()
      .default({}),
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
    joinedAt: date(NOW),
  });

  const attachment = z.object({ _id: z.string().optional(), name: needed(), size: num(), type: str(), url: str(), data: str() });
  const message = z.object({
    _id: z.string().optional(),
    id: needed(),
    role: z.enum(['user', 'assistant']),
    content: needed(),
    timestamp: date(NOW),
    feedback: oneOf(['positive', 'negative']),
    isStreaming: bool(false),
    streamingComplete: bool(true),
    attachments: arr(attachment),
  });

  const chatsessions = document({
    id: needed(),
    userId: needed(),
    agentId: str(),
    name: needed(),
    messages: arr(message),
    lastUpdated: date(NOW),
    isActive: bool(true),
    metadata: z
      .object({ totalMessages: num().default(0), totalTokens: num().default(0), duration: num().default(0) })
      .nullish(),
  });

  const sub = (shape) => z.object({ _id: z.string().optional(), ...shape });
  const tools = document({
    id: needed(),
    metadata: z.object({
      name: needed(),
      slug: needed(),
      description: needed(),
      longDescription: str(),
      category: oneOf(['data-processing', 'integration', 'analytics', 'automation', 'utility', 'ai', 'custom']),
      tags: arr(str()),
      icon: str(),
      banner: str(),
      author: z.object({ id: needed(), name: needed(), avatar: str(), verified: bool(false) }).nullish(),
      currentVersion: needed(),
      allVersions: arr(
        sub({
          versionId: needed(),
          version: needed(),
          releaseDate: date(NOW),
          description: str(),
          changelog: str(),
          isStable: bool(true),
          downloads: num().default(0),
          rating: z.number().min(0).max(5).nullish().default(0),
        }),
      ),
      downloads: num().default(0),
      stars: num().default(0),
      uses: num().default(0),
    }),
    config: z
      .object({
        inputs: arr(
          sub({
            id: needed(),
            name: needed(),
            type: oneOf(['string', 'number', 'boolean', 'array', 'object', 'file', 'multiselect']),
            description: str(),
            required: bool(false),
            defaultValue: z.unknown(),
            validation: z.object({ minLength: num(), maxLength: num(), pattern: str(), min: num(), max: num() }).nullish(),
          }),
        ),
        outputs: arr(sub({ id: needed(), name: needed(), type: str(), description: str() })),
        settings: arr(sub({ id: needed(), name: needed(), type: str(), defaultValue: z.unknown() })),
      })
      .nullish(),
    hooks: arr(sub({ name: needed(), type: needed(), code: needed() })),
    dependencies: arr(sub({ name: needed(), version: needed(), type: oneOf(['npm', 'pip', 'gem']) })),
    codeUrl: needed(),
    mainFunction: needed(),
    published: bool(false),
    verified: bool(false),
    featured: bool(false),
    requiredPermissions: arr(str()),
    sandboxed: bool(true),
    riskLevel: oneOf(['low', 'medium', 'high'], 'low'),
  });
  return { users, chatsessions, tools };
}

/** The schemas in Zod 4. */
export const zod4 = zodSchemas(z4);
/** The same schemas in Zod 3 (`zod/v3`). */
export const zod3 = zodSchemas(z3);
