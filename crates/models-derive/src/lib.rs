//! The `#[model]` attribute of the `onelastai-models` crate.
//!
//! A collection is declared once, as a Rust type whose fields carry the
//! spec's Mongoose rules (`#[field(required, maxlength = 500)]`). This macro
//! turns that one declaration into:
//!
//! * the serde attributes that give the wire shape (camelCase names, `_id`,
//!   `__v`, `createdAt`/`updatedAt` for `timestamps` collections),
//! * the TypeScript shape (tsify attributes, behind the crate's
//!   `typescript` feature),
//! * a `Schema` constant (field names, kinds, rules, indexes), built by the
//!   compiler, that the crate's one rules engine applies to every collection.
//!
//! It knows nothing about any one collection.

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as Tokens};
use quote::{quote, ToTokens};
use syn::parse::{ParseStream, Parser};
use syn::{
    parse_macro_input, Attribute, Expr, ExprLit, ExprUnary, Field, Fields, GenericArgument, Ident,
    Item, ItemEnum, ItemStruct, Lit, LitStr, PathArguments, Token, Type, UnOp,
};

/// Declares a collection, a nested object, an array subdocument or an enum.
///
/// On a struct: `#[model(collection = "users", timestamps, check = PATH)]`
/// for a top-level collection (`PATH` names an `engine::CrossFieldCheck`:
/// the fields the rule reads and the rule), `#[model(subdocument)]` for the item type of
/// an array of subdocuments (gets its own `_id`), plain `#[model]` for a
/// nested object. Indexes declared with `.index()` in the spec are written
/// as `#[index("isActive: 1, lastLoginAt: -1")]` / `#[index("id: 1", unique)]`
/// below `#[model]`. Field rules: `#[field(required, unique, index, sparse,
/// lowercase, trim, maxlength = N, min = N, max = N, default = <literal | now>,
/// secret, rename = "wireName")]`. `secret` marks a field no API ever returns.
///
/// On an enum of unit variants: the variants' kebab-case names are the
/// enum's allowed string values.
#[proc_macro_attribute]
pub fn model(args: TokenStream, item: TokenStream) -> TokenStream {
    let item = parse_macro_input!(item as Item);
    let expanded = match item {
        Item::Struct(s) => expand_struct(args.into(), s),
        Item::Enum(e) => expand_enum(args.into(), e),
        other => Err(syn::Error::new_spanned(
            other,
            "#[model] applies to structs and enums",
        )),
    };
    expanded.unwrap_or_else(|e| e.to_compile_error()).into()
}

#[derive(Default)]
struct ModelOptions {
    collection: Option<LitStr>,
    timestamps: bool,
    subdocument: bool,
    check: Option<syn::Path>,
    compute: Option<syn::Path>,
    owner: Option<LitStr>,
    public_flag: Option<LitStr>,
    /// read, create, update, delete: `anyone`, `owner` or `admin`.
    who: [Option<Ident>; 4],
}

const OPERATIONS: [&str; 4] = ["read", "create", "update", "delete"];

struct IndexDecl {
    keys: Vec<(String, i32)>,
    unique: bool,
    sparse: bool,
}

#[derive(Default)]
struct FieldOptions {
    required: bool,
    unique: bool,
    index: bool,
    sparse: bool,
    lowercase: bool,
    trim: bool,
    secret: bool,
    hashed: bool,
    protected: bool,
    maxlength: Option<Expr>,
    min: Option<Expr>,
    max: Option<Expr>,
    default: Option<Tokens>,
    rename: Option<String>,
}

fn expand_struct(args: Tokens, mut item: ItemStruct) -> syn::Result<Tokens> {
    let mut opts = ModelOptions::default();
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("collection") {
            opts.collection = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("timestamps") {
            opts.timestamps = true;
        } else if meta.path.is_ident("subdocument") {
            opts.subdocument = true;
        } else if meta.path.is_ident("check") {
            opts.check = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("compute") {
            opts.compute = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("owner") {
            opts.owner = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("public_flag") {
            opts.public_flag = Some(meta.value()?.parse()?);
        } else if let Some(i) = OPERATIONS.iter().position(|op| meta.path.is_ident(op)) {
            let who: Ident = meta.value()?.parse()?;
            if !["anyone", "owner", "admin"].contains(&who.to_string().as_str()) {
                return Err(syn::Error::new_spanned(
                    who,
                    "expected `anyone`, `owner` or `admin`",
                ));
            }
            opts.who[i] = Some(who);
        } else {
            return Err(meta.error("unknown #[model] option"));
        }
        Ok(())
    });
    parser.parse2(args)?;

    let mut indexes = Vec::new();
    let mut kept = Vec::new();
    for attr in std::mem::take(&mut item.attrs) {
        if attr.path().is_ident("index") {
            indexes.push(parse_index(&attr)?);
        } else {
            kept.push(attr);
        }
    }
    item.attrs = kept;

    let is_document = opts.collection.is_some() || opts.subdocument;
    let Fields::Named(named) = &mut item.fields else {
        return Err(syn::Error::new_spanned(
            &item,
            "#[model] structs need named fields",
        ));
    };

    let mut field_specs = Vec::new();
    for field in named.named.iter_mut() {
        let fo = take_field_options(field)?;
        let ident = field.ident.clone().expect("named field");
        let wire = fo
            .rename
            .clone()
            .unwrap_or_else(|| camel_case(&unraw(&ident)));
        if fo.rename.is_some() {
            field
                .attrs
                .push(syn::parse_quote!(#[serde(rename = #wire)]));
        }
        decorate_field(field, &fo);
        field_specs.push(field_spec(&wire, &field.ty, &fo));
    }

    // Fields Mongoose adds by itself.
    let mut leading: Vec<Field> = Vec::new();
    if is_document {
        leading.push(syn::parse_quote! {
            /// The document's ObjectId. Kept as given; the server assigns one when it stores.
            #[serde(rename = "_id", default, skip_serializing_if = "Option::is_none")]
            #[cfg_attr(feature = "typescript", tsify(optional, type = "string"))]
            pub _id: Option<crate::ObjectId>
        });
    }
    let mut trailing: Vec<Field> = Vec::new();
    if opts.timestamps {
        trailing.push(syn::parse_quote! {
            /// Set by the server on insert (`timestamps: true`).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[cfg_attr(feature = "typescript", tsify(optional, type = "string | null"))]
            pub created_at: Option<crate::Date>
        });
        trailing.push(syn::parse_quote! {
            /// Set by the server on every write (`timestamps: true`).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[cfg_attr(feature = "typescript", tsify(optional, type = "string | null"))]
            pub updated_at: Option<crate::Date>
        });
        let none = FieldOptions::default();
        let date: Type = syn::parse_quote!(Option<crate::Date>);
        field_specs.push(field_spec("createdAt", &date, &none));
        field_specs.push(field_spec("updatedAt", &date, &none));
    }
    if opts.collection.is_some() {
        trailing.push(syn::parse_quote! {
            /// Mongoose's version key, incremented by array rewrites.
            #[serde(rename = "__v", default, skip_serializing_if = "Option::is_none")]
            #[cfg_attr(feature = "typescript", tsify(optional, type = "number"))]
            pub __v: Option<f64>
        });
    }
    let old = std::mem::take(&mut named.named);
    named.named.extend(leading);
    named.named.extend(old);
    named.named.extend(trailing);

    item.attrs.push(syn::parse_quote!(
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    ));
    item.attrs.push(syn::parse_quote!(
        #[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
    ));
    item.attrs
        .push(syn::parse_quote!(#[serde(rename_all = "camelCase")]));

    let name = &item.ident;
    let name_str = name.to_string();
    let collection = match &opts.collection {
        Some(c) => quote!(Some(#c)),
        None => quote!(None),
    };
    let check = match &opts.check {
        Some(p) => quote!(Some(#p)),
        None => quote!(None),
    };
    let compute = match &opts.compute {
        Some(p) => quote!(Some(#p)),
        None => quote!(None),
    };
    let access = access_tokens(&opts, &item)?;
    let timestamps = opts.timestamps;
    let version_key = opts.collection.is_some();
    let index_specs = indexes.iter().map(|ix| {
        let keys = ix.keys.iter().map(|(k, d)| quote!((#k, #d)));
        let (unique, sparse) = (ix.unique, ix.sparse);
        quote!(crate::engine::IndexDecl { keys: &[#(#keys),*], unique: #unique, sparse: #sparse })
    });

    Ok(quote! {
        #item

        impl crate::engine::Model for #name {
            const SCHEMA: crate::engine::Schema = crate::engine::Schema {
                name: #name_str,
                collection: #collection,
                timestamps: #timestamps,
                has_id: #is_document,
                version_key: #version_key,
                fields: &[#(#field_specs),*],
                indexes: &[#(#index_specs),*],
                check: #check,
                access: #access,
                compute: #compute,
            };
        }

        impl crate::engine::FieldType for #name {
            const KIND: crate::engine::Kind =
                crate::engine::Kind::Object(&<Self as crate::engine::Model>::SCHEMA);
        }
    })
}

/// The `access` of a collection: every collection declares who may read,
/// create, update and delete; nested types declare nothing.
fn access_tokens(opts: &ModelOptions, item: &ItemStruct) -> syn::Result<Tokens> {
    let declared =
        opts.who.iter().any(Option::is_some) || opts.owner.is_some() || opts.public_flag.is_some();
    if opts.collection.is_none() {
        if declared {
            return Err(syn::Error::new_spanned(
                &item.ident,
                "access rules belong on a collection (#[model(collection = ...)])",
            ));
        }
        return Ok(quote!(None));
    }
    let mut who = Vec::new();
    for (op, w) in OPERATIONS.iter().zip(&opts.who) {
        let Some(w) = w else {
            return Err(syn::Error::new_spanned(
                &item.ident,
                format!("a collection declares who may {op} (`{op} = anyone | owner | admin`)"),
            ));
        };
        let variant = Ident::new(&pascal_case(&w.to_string()), w.span());
        who.push(quote!(crate::access::Who::#variant));
    }
    if opts.owner.is_none() && opts.who.iter().flatten().any(|w| w == "owner") {
        return Err(syn::Error::new_spanned(
            &item.ident,
            "`owner` rules need `owner = \"<field>\"`",
        ));
    }
    let owner = match &opts.owner {
        Some(o) => quote!(Some(#o)),
        None => quote!(None),
    };
    let public_flag = match &opts.public_flag {
        Some(f) => quote!(Some(#f)),
        None => quote!(None),
    };
    let [read, create, update, delete] = [&who[0], &who[1], &who[2], &who[3]];
    Ok(quote!(Some(crate::access::Access {
        owner: #owner,
        read: #read,
        create: #create,
        update: #update,
        delete: #delete,
        public_flag: #public_flag,
    })))
}

fn pascal_case(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Reads and removes the `#[field(...)]` attributes of one field.
fn take_field_options(field: &mut Field) -> syn::Result<FieldOptions> {
    let mut fo = FieldOptions::default();
    let mut kept = Vec::new();
    for attr in std::mem::take(&mut field.attrs) {
        if !attr.path().is_ident("field") {
            kept.push(attr);
            continue;
        }
        attr.parse_nested_meta(|meta| {
            let p = &meta.path;
            if p.is_ident("required") {
                fo.required = true;
            } else if p.is_ident("unique") {
                fo.unique = true;
            } else if p.is_ident("index") {
                fo.index = true;
            } else if p.is_ident("sparse") {
                fo.sparse = true;
            } else if p.is_ident("lowercase") {
                fo.lowercase = true;
            } else if p.is_ident("trim") {
                fo.trim = true;
            } else if p.is_ident("secret") {
                fo.secret = true;
            } else if p.is_ident("hashed") {
                fo.hashed = true;
                fo.secret = true;
            } else if p.is_ident("protected") {
                fo.protected = true;
            } else if p.is_ident("maxlength") {
                fo.maxlength = Some(meta.value()?.parse()?);
            } else if p.is_ident("min") {
                fo.min = Some(meta.value()?.parse()?);
            } else if p.is_ident("max") {
                fo.max = Some(meta.value()?.parse()?);
            } else if p.is_ident("rename") {
                fo.rename = Some(meta.value()?.parse::<LitStr>()?.value());
            } else if p.is_ident("default") {
                let expr: Expr = meta.value()?.parse()?;
                fo.default = Some(default_tokens(&expr)?);
            } else {
                return Err(meta.error("unknown #[field] rule"));
            }
            Ok(())
        })?;
    }
    field.attrs = kept;
    Ok(fo)
}

fn default_tokens(expr: &Expr) -> syn::Result<Tokens> {
    let dv = quote!(crate::engine::DefaultValue);
    Ok(match expr {
        Expr::Path(p) if p.path.is_ident("now") => quote!(#dv::Now),
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => quote!(#dv::Str(#s)),
        Expr::Lit(ExprLit {
            lit: Lit::Bool(b), ..
        }) => quote!(#dv::Bool(#b)),
        Expr::Lit(ExprLit {
            lit: Lit::Int(_) | Lit::Float(_),
            ..
        })
        | Expr::Unary(ExprUnary {
            op: UnOp::Neg(_), ..
        }) => quote!(#dv::Number((#expr) as f64)),
        other => {
            return Err(syn::Error::new_spanned(
                other,
                "default must be a string, bool or number literal, or `now`",
            ))
        }
    })
}

/// Adds the serde and tsify attributes that make the wire shape match what
/// the engine outputs: optional keys for fields that may be absent, `T | null`
/// for fields that are present but may hold `null`, and the TypeScript
/// spelling of every field type (a `Date` or an `ObjectId` is a string on the
/// wire, not tsify's guess from the Rust name).
fn decorate_field(field: &mut Field, fo: &FieldOptions) {
    let ty = field.ty.clone();
    if let Some(inner) = option_inner(&ty) {
        let ts = format!("{} | null", ts_type(inner));
        if fo.default.is_some() {
            // A default always fills the key, so it is required in TypeScript.
            // No `#[serde(default)]`: tsify would make the key optional, and
            // serde already reads a missing `Option` field as `None`.
            field.attrs.push(syn::parse_quote!(
                #[cfg_attr(feature = "typescript", tsify(type = #ts))]
            ));
        } else {
            field.attrs.push(syn::parse_quote!(
                #[serde(default, skip_serializing_if = "Option::is_none")]
            ));
            field.attrs.push(syn::parse_quote!(
                #[cfg_attr(feature = "typescript", tsify(optional, type = #ts))]
            ));
        }
    } else if last_ident(&ty).as_deref() == Some("Vec") {
        // An array set to `null` stays `null`, as in Mongoose. The key is
        // always there (arrays default to `[]`), so it is required in
        // TypeScript: no `#[serde(default)]`, which tsify reads as optional.
        let ts = format!("{} | null", ts_type(&ty));
        field.attrs.push(syn::parse_quote!(
            #[cfg_attr(feature = "typescript", tsify(type = #ts))]
        ));
    } else {
        let ts = ts_type(&ty);
        field.attrs.push(syn::parse_quote!(
            #[cfg_attr(feature = "typescript", tsify(type = #ts))]
        ));
    }
}

fn field_spec(wire: &str, ty: &Type, fo: &FieldOptions) -> Tokens {
    let FieldOptions {
        required,
        unique,
        index,
        sparse,
        lowercase,
        trim,
        secret,
        hashed,
        protected,
        ..
    } = *fo;
    let opt_f64 = |e: &Option<Expr>| match e {
        Some(e) => quote!(Some((#e) as f64)),
        None => quote!(None),
    };
    let min = opt_f64(&fo.min);
    let max = opt_f64(&fo.max);
    let maxlength = match &fo.maxlength {
        Some(e) => quote!(Some(#e)),
        None => quote!(None),
    };
    let default = match &fo.default {
        Some(t) => quote!(Some(#t)),
        None => quote!(None),
    };
    let ty = strip_option(ty);
    quote! {
        crate::engine::Field {
            name: #wire,
            kind: <#ty as crate::engine::FieldType>::KIND,
            rules: crate::engine::Rules {
                required: #required,
                unique: #unique,
                index: #index,
                sparse: #sparse,
                lowercase: #lowercase,
                trim: #trim,
                secret: #secret,
                hashed: #hashed,
                protected: #protected,
                min: #min,
                max: #max,
                maxlength: #maxlength,
                default: #default,
            },
        }
    }
}

fn parse_index(attr: &Attribute) -> syn::Result<IndexDecl> {
    attr.parse_args_with(|input: ParseStream| {
        let spec: LitStr = input.parse()?;
        let mut decl = IndexDecl {
            keys: Vec::new(),
            unique: false,
            sparse: false,
        };
        for part in spec.value().split(',') {
            let (key, dir) = part.split_once(':').ok_or_else(|| {
                syn::Error::new(spec.span(), "index keys look like `a: 1, b: -1`")
            })?;
            let dir: i32 = dir
                .trim()
                .parse()
                .map_err(|_| syn::Error::new(spec.span(), "index direction is 1 or -1"))?;
            if dir != 1 && dir != -1 {
                return Err(syn::Error::new(spec.span(), "index direction is 1 or -1"));
            }
            decl.keys.push((key.trim().to_string(), dir));
        }
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            let flag: Ident = input.parse()?;
            match flag.to_string().as_str() {
                "unique" => decl.unique = true,
                "sparse" => decl.sparse = true,
                _ => {
                    return Err(syn::Error::new(
                        flag.span(),
                        "expected `unique` or `sparse`",
                    ))
                }
            }
        }
        Ok(decl)
    })
}

fn expand_enum(args: Tokens, mut item: ItemEnum) -> syn::Result<Tokens> {
    if !args.is_empty() {
        return Err(syn::Error::new(
            Span::call_site(),
            "#[model] on an enum takes no options",
        ));
    }
    let mut values = Vec::new();
    let mut arms = Vec::new();
    let mut idents = Vec::new();
    for v in &item.variants {
        if !matches!(v.fields, Fields::Unit) {
            return Err(syn::Error::new_spanned(v, "enum values are unit variants"));
        }
        let value = kebab_case(&v.ident.to_string());
        let ident = &v.ident;
        arms.push(quote!(Self::#ident => #value));
        idents.push(ident);
        values.push(value);
    }
    item.attrs.push(syn::parse_quote!(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
    ));
    item.attrs.push(syn::parse_quote!(
        #[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
    ));
    item.attrs
        .push(syn::parse_quote!(#[serde(rename_all = "kebab-case")]));
    let name = &item.ident;
    Ok(quote! {
        #item

        impl #name {
            /// The allowed values, in the spec's order.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// Every value, in the spec's order.
            pub const ALL: &'static [Self] = &[#(Self::#idents),*];

            /// The value as stored.
            pub fn as_str(self) -> &'static str {
                match self { #(#arms),* }
            }

            /// The value stored as `s`.
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }

        impl crate::engine::FieldType for #name {
            const KIND: crate::engine::Kind = crate::engine::Kind::Enum(Self::VALUES);
        }
    })
}

fn unraw(ident: &Ident) -> String {
    let s = ident.to_string();
    s.strip_prefix("r#").map(str::to_string).unwrap_or(s)
}

fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn kebab_case(pascal: &str) -> String {
    let mut out = String::with_capacity(pascal.len() + 4);
    for (i, c) in pascal.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn last_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn generic_args(ty: &Type) -> Vec<&Type> {
    let Type::Path(p) = ty else { return Vec::new() };
    let Some(seg) = p.path.segments.last() else {
        return Vec::new();
    };
    let PathArguments::AngleBracketed(args) = &seg.arguments else {
        return Vec::new();
    };
    args.args
        .iter()
        .filter_map(|a| match a {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        })
        .collect()
}

fn option_inner(ty: &Type) -> Option<&Type> {
    if last_ident(ty).as_deref() == Some("Option") {
        generic_args(ty).into_iter().next()
    } else {
        None
    }
}

fn strip_option(ty: &Type) -> Tokens {
    option_inner(ty).unwrap_or(ty).to_token_stream()
}

/// The TypeScript spelling of a field type, as tsify names it.
fn ts_type(ty: &Type) -> String {
    let name = last_ident(ty).unwrap_or_default();
    let args = generic_args(ty);
    match name.as_str() {
        "String" | "Date" | "ObjectId" => "string".into(),
        "f64" => "number".into(),
        "bool" => "boolean".into(),
        "Value" => "unknown".into(),
        // Mongoose keeps `null` elements and `null` map values (the engine
        // does too), so the TypeScript says so.
        "Vec" => {
            let inner = args.first().map(|t| ts_type(t)).unwrap_or_default();
            format!("({inner} | null)[]")
        }
        "BTreeMap" | "HashMap" => {
            let inner = args.get(1).map(|t| ts_type(t)).unwrap_or_default();
            format!("Record<string, {inner} | null>")
        }
        "Option" => {
            let inner = args.first().map(|t| ts_type(t)).unwrap_or_default();
            format!("{inner} | null")
        }
        _ => name,
    }
}
