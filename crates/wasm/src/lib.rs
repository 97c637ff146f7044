//! # onelastai-models-wasm
//!
//! The JavaScript face of [`onelastai_models`], built into the
//! `@onelastai/models` npm package (`pkg/`, by `tools/build-pkg.sh`).
//!
//! Every export converts values at the JS boundary ([`boundary`]) and calls
//! the models crate: the browser, Node and the server give the same answers
//! because there is one implementation of the rules, and it is not here.
//! Bad documents never throw: they come back as `{ ok: false, errors }`.
//! Only a programming error throws: an unknown collection name or path, or
//! an invalid `options.now`.
//!
//! The TypeScript declarations come from here too: the collection types from
//! the models crate's `tsify` derives, the API's own types and the generic
//! `validate` signature from the sections below.

pub mod boundary;

#[cfg(target_arch = "wasm32")]
mod allocator;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: allocator::SizeClasses = allocator::SizeClasses::new();

use boundary::{read_date, read_value, write_result, write_value};
use onelastai_models::json;
use onelastai_models::subscriptions::{self, Plan, SubscriptionStatus};
use onelastai_models::{engine, Collection, Date, FieldError};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_API: &'static str = r#"
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
"#;

/// `validate(collection, input, options?)`; its generic signature is declared above.
#[wasm_bindgen(skip_typescript)]
pub fn validate(
    collection: &JsValue,
    input: &JsValue,
    options: &JsValue,
) -> Result<JsValue, JsError> {
    validate_document(collection_named(collection)?, input, options, Answer::Value)
}

/// `verdict(collection, input, options?)`; declared above.
#[wasm_bindgen(skip_typescript)]
pub fn verdict(
    collection: &JsValue,
    input: &JsValue,
    options: &JsValue,
) -> Result<JsValue, JsError> {
    validate_document(
        collection_named(collection)?,
        input,
        options,
        Answer::Verdict,
    )
}

/// `validateMany(collection, inputs, options?)`, declared above, less what
/// the package's JavaScript adds (the generated pkg/web/api.js and
/// pkg/node/api.js, tools/build-pkg-codegen.mjs): the array
/// crosses as one JSON text and the results as another.
#[wasm_bindgen(js_name = validateMany, skip_typescript)]
pub fn validate_many(
    collection: &JsValue,
    inputs: &JsValue,
    options: &JsValue,
) -> Result<JsValue, JsError> {
    validate_document(collection_named(collection)?, inputs, options, Answer::Many)
}

/// `options.now` and `options.maxErrors`.
fn read_options(options: &JsValue) -> Result<(Date, engine::Options), JsError> {
    let now = boundary::now_option(options)?;
    let limits = engine::Options {
        max_errors: boundary::max_errors_option(options)?,
    };
    Ok((now, limits))
}

/// What a validation call answers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// `validate`: the result with the normalised document.
    Value,
    /// `verdict`: the result without it.
    Verdict,
    /// `validateMany`: an array of `validate`'s results, one per element of
    /// the input array; `undefined` when the array cannot be read as one
    /// text (the package then validates each element alone).
    Many,
}

/// `validate`, `verdict` or `validateMany`: one copy of the reading and
/// writing for the three (a copy of its own for `validateMany` cost the
/// .wasm 0.6 KB gzip).
fn validate_document(
    collection: Collection,
    input: &JsValue,
    options: &JsValue,
    answer: Answer,
) -> Result<JsValue, JsError> {
    let (now, limits) = read_options(options)?;
    let keep_value = answer != Answer::Verdict;
    let written = boundary::with_text(input, "", |text| {
        // About the input's size: the transcoder then writes without growing it.
        let mut out = String::with_capacity(text.map_or(0, str::len) + 1024);
        match (text, answer) {
            (Some(text), Answer::Many) => {
                // Each item on its own: most take the transcoder.
                let Ok(items) = json::array_items(text) else {
                    return Ok(Ok(JsValue::UNDEFINED));
                };
                out.push('[');
                for (i, item) in items.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    validate_text_into(collection, Some(item), now, &limits, true, &mut out)?;
                }
                out.push(']');
            }
            (None, Answer::Many) => return Ok(Ok(JsValue::UNDEFINED)),
            (text, _) => validate_text_into(collection, text, now, &limits, keep_value, &mut out)?,
        }
        Ok(boundary::parse(&out))
    });
    match written {
        Ok(Ok(written)) => written,
        Ok(Err(_)) | Err(_) if answer == Answer::Many => Ok(JsValue::UNDEFINED),
        Ok(Err(e)) | Err(e) => {
            let refused = engine::Rejection {
                errors: vec![*e],
                truncated: false,
            };
            write_result::<json::Json>(&Err(refused), keep_value)
        }
    }
}

/// Validates the document `text` holds (`None`: `undefined`, read as
/// `null`) and appends the result as JSON text: in one pass when it passes
/// ([`Collection::transcode`]), else through its tree, which finds the
/// errors. `Err` when the text cannot be read as a document.
fn validate_text_into(
    collection: Collection,
    text: Option<&str>,
    now: Date,
    limits: &engine::Options,
    keep_value: bool,
    out: &mut String,
) -> Result<(), Box<FieldError>> {
    if let Some(text) = text {
        let mark = out.len();
        out.push_str("{\"ok\":true,\"value\":");
        if collection.transcode(text, now, out) {
            if keep_value {
                out.push('}');
            } else {
                out.truncate(mark);
                out.push_str("{\"ok\":true}");
            }
            return Ok(());
        }
        out.truncate(mark);
    }
    let doc = boundary::parse_text(text, "")?;
    validate_into(collection, &doc, now, limits, keep_value, out);
    Ok(())
}

/// Validates `doc` and appends the result as JSON text.
fn validate_into(
    collection: Collection,
    doc: &json::Json<'_>,
    now: Date,
    limits: &engine::Options,
    keep_value: bool,
    out: &mut String,
) {
    let result = collection
        .validate_json_with(doc, now, limits)
        .map(json::Json::Object);
    boundary::write_result_text(&result, keep_value, out);
}

thread_local! {
    /// The last collection name asked for (see [`boundary::remember`]).
    static LAST_COLLECTION: std::cell::RefCell<Option<(JsValue, Collection)>> =
        const { std::cell::RefCell::new(None) };
}

fn collection_named(name: &JsValue) -> Result<Collection, JsError> {
    let found = name.is_string().then(|| {
        boundary::remember(&LAST_COLLECTION, name, || {
            name.as_string().and_then(|n| Collection::from_name(&n))
        })
    });
    if let Some(Some(c)) = found {
        return Ok(c);
    }
    let shown = match name.as_string() {
        Some(n) => boundary::quoted(&n),
        None => "(not a string)".into(),
    };
    let valid: Vec<&str> = Collection::ALL.iter().map(|c| c.name()).collect();
    Err(JsError::new(&format!(
        "unknown collection {shown}; expected one of: {}",
        valid.join(", ")
    )))
}

macro_rules! typed_validators {
    ($($variant:ident => $name:literal, $ty:literal, $js:literal;)*) => {
        #[wasm_bindgen(typescript_custom_section)]
        const TS_DOCUMENTS: &'static str = concat!(
            "\n/** The normalised document of each collection, by its MongoDB name. */\n",
            "export interface Documents {\n",
            $("    ", $name, ": ", $ty, ";\n",)*
            "}\n",
            $(
                "\n/** Validates a `", $name, "` document (see `validate`): the normalised `",
                $ty, "`, or every failing path. */\n",
                "export function ", $js, "(input: unknown, options?: ValidateOptions): ValidationResult<",
                $ty, ">;\n",
            )*
        );

        // The functions themselves are the package's JavaScript
        // (`validate(name, ...)`, tools/build-pkg-codegen.mjs): seventeen
        // exports of their own cost the .wasm about 1 KB gzip.

        /// Every typed validator: (collection, name, TypeScript type, JS function).
        #[cfg(test)]
        const TYPED_VALIDATORS: &[(Collection, &str, &str, &str)] =
            &[$((Collection::$variant, $name, $ty, $js)),*];
    };
}

typed_validators! {
    Users => "users", "User", "validateUser";
    UserSessions => "usersessions", "UserSession", "validateUserSession";
    Subscriptions => "subscriptions", "AgentSubscription", "validateAgentSubscription";
    SubscriptionPlans => "subscriptionplans", "SubscriptionPlan", "validateSubscriptionPlan";
    ChatSessions => "chatsessions", "ChatSession", "validateChatSession";
    ChatMessages => "chatmessages", "ChatMessage", "validateChatMessage";
    AnalyticsEvents => "analyticsevents", "AnalyticsEvent", "validateAnalyticsEvent";
    ChatAnalytics => "chatanalytics", "ChatAnalytics", "validateChatAnalytics";
    ToolUsageAnalytics => "toolusageanalytics", "ToolUsageAnalytics", "validateToolUsageAnalytics";
    UserAchievements => "userachievements", "UserAchievements", "validateUserAchievements";
    UserRewards => "userrewards", "UserRewards", "validateUserRewards";
    Leaderboards => "leaderboards", "Leaderboard", "validateLeaderboard";
    Tools => "tools", "Tool", "validateTool";
    ToolReviews => "toolreviews", "ToolReview", "validateToolReview";
    Invoices => "invoices", "Invoice", "validateInvoice";
    Payments => "payments", "Payment", "validatePayment";
    AppConfigs => "appconfigs", "AppConfig", "validateAppConfig";
}

/// `validateField(collection, path, value, options?)`; declared above.
#[wasm_bindgen(js_name = validateField, skip_typescript)]
pub fn validate_field(
    collection: &JsValue,
    path: &JsValue,
    value: &JsValue,
    options: &JsValue,
) -> Result<JsValue, JsError> {
    let collection = collection_named(collection)?;
    let path = path
        .as_string()
        .ok_or_else(|| JsError::new("path must be a string"))?;
    let now = boundary::now_option(options)?;
    let context = boundary::option(options, "document")?;
    let value = match read_value(value, &path) {
        Ok(v) => v,
        Err(e) => return write_value(&[*e][..]),
    };
    let context = if context.is_undefined() {
        None
    } else {
        match read_value(&context, "") {
            Ok(v) => Some(v),
            Err(e) => return write_value(&[*e][..]),
        }
    };
    let errors = collection
        .validate_path(&path, &value, context.as_ref(), now)
        .map_err(|e| JsError::new(&e.to_string()))?;
    write_value(&errors[..])
}

/// The spec's `calculateExpiryDate(plan, startDate)`: the ISO 8601 string
/// of the end of a subscription started at `startDate` on `plan`. Throws
/// `Invalid plan` (as the spec does) for an unknown plan, and for a start
/// date that is not a date.
#[wasm_bindgen(js_name = calculateExpiryDate)]
pub fn calculate_expiry_date(
    #[wasm_bindgen(unchecked_param_type = "Plan")] plan: &JsValue,
    #[wasm_bindgen(js_name = startDate, unchecked_param_type = "Date | string | number")]
    start_date: &JsValue,
) -> Result<String, JsError> {
    let plan = plan
        .as_string()
        .and_then(|p| Plan::parse(&p))
        .ok_or_else(|| JsError::new("Invalid plan"))?;
    let start = read_date(start_date).ok_or_else(|| JsError::new("Invalid start date"))?;
    subscriptions::calculate_expiry_date(plan, start)
        .map(Date::to_iso_string)
        .ok_or_else(|| JsError::new("The expiry date is outside JavaScript's date range"))
}

/// `isSubscriptionValid(subscription, now?)`; declared above.
#[wasm_bindgen(js_name = isSubscriptionValid, skip_typescript)]
pub fn is_subscription_valid(subscription: &JsValue, now: &JsValue) -> Result<bool, JsError> {
    let now = if now.is_undefined() || now.is_null() {
        boundary::current_time()?
    } else {
        read_date(now)
            .ok_or_else(|| JsError::new("now must be a valid Date or an ISO 8601 date string"))?
    };
    if !subscription.is_object() {
        return Ok(false);
    }
    let field = |name: &str| {
        js_sys::Reflect::get(subscription, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    };
    let status = field("status")
        .as_string()
        .and_then(|s| SubscriptionStatus::parse(&s));
    Ok(match read_date(&field("expiryDate")) {
        Some(expiry) => subscriptions::is_valid(status, expiry, now),
        None => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use onelastai_models::engine::Model;

    #[test]
    fn one_typed_validator_per_collection_in_order() {
        let listed: Vec<Collection> = TYPED_VALIDATORS.iter().map(|t| t.0).collect();
        assert_eq!(listed, Collection::ALL.to_vec());
        for &(c, name, ty, js) in TYPED_VALIDATORS {
            assert_eq!(c.name(), name);
            assert_eq!(c.schema().name, ty, "{name}: TypeScript type");
            assert_eq!(js, format!("validate{ty}"));
        }
        assert_eq!(
            <onelastai_models::users::User as Model>::schema().name,
            "User"
        );
    }
}
