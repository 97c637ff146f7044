// The package's Standard Schemas, typed paths, typed errors and formatError
// under `tsc --strict` (tests/pkg/types/tsconfig*.json), checked against the
// real `@standard-schema/spec` 1.1 interfaces. Never run; only type-checked.
import type { StandardJSONSchemaV1, StandardSchemaV1 } from "@standard-schema/spec";
import {
    collections,
    formatError,
    schemaOf,
    schemas,
    validateField,
    validateFieldUnchecked,
} from "@onelastai/models";
import type {
    ChatSession,
    CollectionInfo,
    ErrorKind,
    ErrorParams,
    FieldError,
    FieldPath,
    FormField,
    Inputs,
    User,
} from "@onelastai/models";

/** `true` only when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <A, B>(_proof: Equal<A, B>): void => undefined;

// The schemas are Standard Schemas and Standard JSON Schemas.
const asStandard: StandardSchemaV1<Inputs["users"], User> = schemas.users;
const asJson: StandardJSONSchemaV1<Inputs["users"], User> = schemas.users;
const sessions: StandardSchemaV1 = schemaOf("chatsessions", { locale: "fr" });

// InferInput / InferOutput give the input and document types.
same<StandardSchemaV1.InferOutput<typeof schemas.users>, User>(true);
same<StandardSchemaV1.InferOutput<typeof schemas.chatsessions>, ChatSession>(true);
same<StandardSchemaV1.InferInput<typeof schemas.users>, Inputs["users"]>(true);
same<StandardJSONSchemaV1.InferInput<typeof schemas.users>, Inputs["users"]>(true);
type UserInput = StandardSchemaV1.InferInput<typeof schemas.users>;
const input: UserInput = { id: "user_1", email: "ada@example.com", bio: null, joinedAt: new Date() };
// @ts-expect-error `email` is required in the input.
const noEmail: UserInput = { id: "user_1" };
// @ts-expect-error `role` is one of the enum's values.
const badRole: UserInput = { id: "user_1", email: "a@b.co", role: "boss" };
same<Inputs["toolreviews"]["rating"], number>(true);

export function standard(): void {
    const result = schemas.users["~standard"].validate(input);
    if (result instanceof Promise) return;
    if (result.issues) {
        for (const issue of result.issues) {
            const path: ReadonlyArray<string | number> | undefined = issue.path;
            const kind: ErrorKind = issue.error.kind;
            console.log(issue.message, path, kind);
        }
    } else {
        const user: User = result.value;
        console.log(user.email);
    }
    const schema: Record<string, unknown> = schemas.users["~standard"].jsonSchema.output({ target: "draft-2020-12" });
    console.log(schema, asStandard, asJson, sessions, noEmail, badRole);
}

// Typed paths: a typo does not compile; array positions are numbers.
export function paths(): void {
    validateField("users", "email", "ada@example.com");
    validateField("users", "socialLinks.github", "ada");
    validateField("chatsessions", "messages.0.role", "user");
    validateField("chatsessions", "messages.12.attachments.3.type", "image");
    // @ts-expect-error "emial" is not a path of users.
    validateField("users", "emial", "ada@example.com");
    // @ts-expect-error a position is a number.
    validateField("chatsessions", "messages.first.role", "user");
    // @ts-expect-error `role` belongs to chatsessions' messages, not to users' paths.
    validateField("users", "messages.0.role", "user");
    const dynamic: string = "em" + "ail";
    validateFieldUnchecked("users", dynamic, "ada@example.com");
    same<Extract<FieldPath<"users">, "bio">, "bio">(true);
}

// Typed errors.
export function errors(e: FieldError): string {
    const kind: ErrorKind = e.kind;
    // @ts-expect-error kind is the ErrorKind union, not any string.
    const notAKind: FieldError["kind"] = "maxLength";
    const params: ErrorParams = e.params;
    const max: number | undefined = params.maxlength;
    switch (e.kind) {
        case "maxlength":
            return `${params.length ?? "?"} of ${max ?? "?"}`;
        case "enum":
            return (params.values ?? []).join(", ");
        default:
            return formatError(e, { locale: "fr", labels: { bio: "À propos" } }) + kind + notAKind;
    }
}

// Routes and form fields.
const info: CollectionInfo | undefined = collections.find((c) => c.name === "usersessions");
const route: string | undefined = info?.route;
const field: FormField | undefined = info?.fields.find((f) => f.required);
const maxLength: number | undefined = field?.maxLength;
export const metadata = [route, maxLength];
