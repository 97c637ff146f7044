//! Mail the account flows send (password reset and sign-in links).
//!
//! Two ways out, chosen at start from the environment ([`MailConfig`]):
//! SMTP through `lettre` over rustls, or, in development only, a local
//! outbox: each message a JSON file in `MAIL_OUTBOX_DIR`, listed at
//! `GET /api/dev/outbox` (service token) so people and tests can follow the
//! links without a mail server. `APP_ENV=production` refuses to start
//! without SMTP, so the outbox and its route never exist in production.

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// How mail leaves the server.
#[derive(Clone)]
pub enum MailConfig {
    /// An SMTP relay.
    Smtp {
        /// `SMTP_URL`, or a URL built from `SMTP_HOST`/`SMTP_PORT`/`SMTP_USERNAME`/`SMTP_PASSWORD`.
        url: String,
        /// `MAIL_FROM`.
        from: String,
    },
    /// Files in a directory (development only).
    Outbox {
        /// `MAIL_OUTBOX_DIR`.
        dir: PathBuf,
    },
}

impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The SMTP URL may carry a password.
        match self {
            Self::Smtp { from, .. } => f.debug_struct("Smtp").field("from", from).finish(),
            Self::Outbox { dir } => f.debug_struct("Outbox").field("dir", dir).finish(),
        }
    }
}

impl MailConfig {
    /// Whether the SMTP URL and the sender parse (without connecting).
    pub fn check(&self) -> Result<(), MailError> {
        if let Self::Smtp { url, from } = self {
            AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map_err(|e| MailError::Smtp(e.to_string()))?;
            from.parse::<Mailbox>()
                .map_err(|_| MailError::Address(from.clone()))?;
        }
        Ok(())
    }
}

/// One message.
#[derive(Debug, Clone)]
pub struct Mail {
    /// The recipient's address.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
}

/// Why a message could not be sent or the outbox read.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// An address does not parse.
    #[error("bad address {0:?}")]
    Address(String),
    /// The SMTP settings or the conversation failed.
    #[error("smtp: {0}")]
    Smtp(String),
    /// The outbox could not be written or read.
    #[error("outbox {path}: {source}")]
    Outbox {
        /// The file or directory.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
}

/// Sends [`Mail`].
#[derive(Clone)]
pub enum Mailer {
    /// Through an SMTP relay.
    Smtp {
        /// The pooled connection to the relay.
        transport: AsyncSmtpTransport<Tokio1Executor>,
        /// The sender.
        from: Mailbox,
    },
    /// Into files.
    Outbox {
        /// Where the files go.
        dir: PathBuf,
    },
    /// Settings that do not work (refused at start by [`MailConfig::check`];
    /// kept so a state built by hand says why when it sends).
    Unusable(String),
}

impl Mailer {
    /// The mailer of `config` (no connection is made until the first
    /// message). Needs a Tokio runtime (the SMTP pool's cleaner).
    pub fn new(config: &MailConfig) -> Self {
        match config {
            MailConfig::Smtp { url, from } => {
                let built = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| MailError::Smtp(e.to_string()))
                    .and_then(|b| {
                        let from = from.parse().map_err(|_| MailError::Address(from.clone()))?;
                        Ok(Self::Smtp {
                            transport: b.build(),
                            from,
                        })
                    });
                built.unwrap_or_else(|e| Self::Unusable(e.to_string()))
            }
            MailConfig::Outbox { dir } => Self::Outbox { dir: dir.clone() },
        }
    }

    /// The outbox directory, when mail goes there.
    pub fn outbox(&self) -> Option<&Path> {
        match self {
            Self::Outbox { dir } => Some(dir),
            Self::Smtp { .. } | Self::Unusable(_) => None,
        }
    }

    /// Sends one message.
    pub async fn send(&self, mail: Mail) -> Result<(), MailError> {
        match self {
            Self::Smtp { transport, from } => {
                let to: Mailbox = mail
                    .to
                    .parse()
                    .map_err(|_| MailError::Address(mail.to.clone()))?;
                let message = lettre::Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(mail.subject)
                    .header(lettre::message::header::ContentType::TEXT_PLAIN)
                    .body(mail.text)
                    .map_err(|e| MailError::Smtp(e.to_string()))?;
                transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| MailError::Smtp(e.to_string()))
            }
            Self::Unusable(why) => Err(MailError::Smtp(why.clone())),
            Self::Outbox { dir } => {
                let dir = dir.clone();
                tokio::task::spawn_blocking(move || write_outbox(&dir, &mail))
                    .await
                    .map_err(|e| MailError::Smtp(format!("outbox writer: {e}")))?
            }
        }
    }
}

/// An SMTP URL (the form lettre parses) from its parts.
pub fn smtp_url(host: &str, port: u16, user: Option<&str>, password: Option<&str>) -> String {
    // Port 465 speaks TLS from the first byte; any other port upgrades with
    // STARTTLS, which is required (never plain text).
    let (scheme, query) = if port == 465 {
        ("smtps", "")
    } else {
        ("smtp", "?tls=required")
    };
    let auth = match (user, password) {
        (Some(u), Some(p)) => format!("{}:{}@", percent(u), percent(p)),
        (Some(u), None) => format!("{}@", percent(u)),
        _ => String::new(),
    };
    format!("{scheme}://{auth}{host}:{port}{query}")
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn write_outbox(dir: &Path, mail: &Mail) -> Result<(), MailError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| MailError::Outbox { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let now = crate::handlers::now().map(|d| d.millis()).unwrap_or(0);
    let id = format!(
        "{now:013}-{}",
        hex::encode(crate::auth::random_bytes::<6>())
    );
    let created = onelastai_models::Date::from_millis(now)
        .map(|d| d.to_iso_string())
        .unwrap_or_default();
    let body = json!({
        "id": id,
        "to": mail.to,
        "subject": mail.subject,
        "text": mail.text,
        "createdAt": created,
    });
    let tmp = dir.join(format!(".{id}.tmp"));
    let path = dir.join(format!("{id}.json"));
    // Written whole, then renamed: a reader never sees half a message.
    std::fs::write(&tmp, body.to_string()).map_err(io(&tmp))?;
    std::fs::rename(&tmp, &path).map_err(io(&path))
}

/// The newest `limit` messages of the outbox in `dir`, newest first; with
/// `to`, only those sent to that address (case-insensitive).
pub fn read_outbox(dir: &Path, to: Option<&str>, limit: usize) -> Result<Vec<Value>, MailError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(MailError::Outbox {
                path: dir.to_path_buf(),
                source,
            })
        }
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json") && !n.starts_with('.'))
        .collect();
    names.sort_unstable_by(|a, b| b.cmp(a));
    let to = to.map(str::to_lowercase);
    let mut out = Vec::new();
    for name in names {
        if out.len() >= limit {
            break;
        }
        let path = dir.join(&name);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Ok(message) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        let matches = to.as_deref().is_none_or(|want| {
            message["to"]
                .as_str()
                .is_some_and(|t| t.to_lowercase() == want)
        });
        if matches {
            out.push(message);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_from_parts_require_tls() {
        assert_eq!(
            smtp_url("mail.example.com", 587, Some("me@x.org"), Some("p:w/d")),
            "smtp://me%40x.org:p%3Aw%2Fd@mail.example.com:587?tls=required"
        );
        assert_eq!(
            smtp_url("mail.example.com", 465, None, None),
            "smtps://mail.example.com:465"
        );
    }

    #[tokio::test]
    async fn the_outbox_keeps_messages_newest_first() {
        let dir = std::env::temp_dir().join(format!(
            "outbox-unit-{}",
            hex::encode(crate::auth::random_bytes::<6>())
        ));
        let mailer = Mailer::Outbox { dir: dir.clone() };
        for (to, subject) in [("a@x.org", "one"), ("b@x.org", "two"), ("A@x.org", "three")] {
            let sent = mailer
                .send(Mail {
                    to: to.into(),
                    subject: subject.into(),
                    text: "body".into(),
                })
                .await;
            assert!(sent.is_ok(), "{sent:?}");
            tokio::time::sleep(std::time::Duration::from_millis(3)).await;
        }
        let all = read_outbox(&dir, None, 10).unwrap_or_default();
        let subjects: Vec<&str> = all.iter().filter_map(|m| m["subject"].as_str()).collect();
        assert_eq!(subjects, ["three", "two", "one"]);
        let a = read_outbox(&dir, Some("a@X.org"), 10).unwrap_or_default();
        assert_eq!(a.len(), 2);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
