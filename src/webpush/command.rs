//! The five commands of draft §5, as typed values: encoded for the wire by
//! `Display`, and parsed back from a command line by [`Command::parse`]
//! (which the reference server uses, so that both sides share one grammar).
//!
//! ```text
//! getvapid   = "GETVAPID"
//! webpush    = "WEBPUSH" SP (add-webpush-opt / del-webpush-opt)
//! ackwebpush = "ACKWEBPUSH" SP ackwebpush-token
//! lwebpush   = "LWEBPUSH" SP (list-wildcards / subscription-id)
//! silwebpush = "SILWEBPUSH" SP subscription-id SP (duration / "session")
//! ```

use std::fmt;

use super::types::{
    AckToken, AuthSecret, Endpoint, FieldError, ListPattern, P256dh, Silence, SubscriptionId,
};

/// The fields of a WEBPUSH create/update: where and how to push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub endpoint: Endpoint,
    pub p256dh: P256dh,
    pub auth: AuthSecret,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    GetVapid,
    /// `subscription: None` is the delete form, `WEBPUSH <id> NIL`.
    WebPush {
        id: SubscriptionId,
        subscription: Option<Subscription>,
    },
    AckWebPush(AckToken),
    LWebPush(ListPattern),
    SilWebPush(SubscriptionId, Silence),
}

/// Why a command line is not one of the extension's commands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    #[error("{0} takes {1}")]
    Arity(&'static str, &'static str),
    #[error("{0}: {1}")]
    Field(&'static str, #[source] FieldError),
}

impl Command {
    /// The command name, as in the draft.
    pub fn name(&self) -> &'static str {
        match self {
            Self::GetVapid => "GETVAPID",
            Self::WebPush { .. } => "WEBPUSH",
            Self::AckWebPush(_) => "ACKWEBPUSH",
            Self::LWebPush(_) => "LWEBPUSH",
            Self::SilWebPush(..) => "SILWEBPUSH",
        }
    }

    /// The five command names.
    pub const NAMES: [&'static str; 5] = [
        "GETVAPID",
        "WEBPUSH",
        "ACKWEBPUSH",
        "LWEBPUSH",
        "SILWEBPUSH",
    ];

    /// Parses `keyword` and the text after it (no tag, no CRLF). Returns
    /// `None` for a keyword that is not one of the five. `allow_http`
    /// accepts plain-http endpoints (`serve --allow-http-endpoints`).
    pub fn parse(
        keyword: &str,
        args: &str,
        allow_http: bool,
    ) -> Option<Result<Self, CommandError>> {
        let name = *Self::NAMES
            .iter()
            .find(|n| n.eq_ignore_ascii_case(keyword))?;
        let args: Vec<&str> = if args.is_empty() {
            vec![]
        } else {
            args.split(' ').collect()
        };
        Some(Self::parse_args(name, &args, allow_http))
    }

    fn parse_args(
        name: &'static str,
        args: &[&str],
        allow_http: bool,
    ) -> Result<Self, CommandError> {
        match (name, args) {
            ("GETVAPID", []) => Ok(Self::GetVapid),
            ("WEBPUSH", [id, nil]) if nil.eq_ignore_ascii_case("NIL") => Ok(Self::WebPush {
                id: field("subscription ID", SubscriptionId::parse(id))?,
                subscription: None,
            }),
            ("WEBPUSH", [id, endpoint, p256dh, auth]) => Ok(Self::WebPush {
                id: field("subscription ID", SubscriptionId::parse(id))?,
                subscription: Some(Subscription {
                    endpoint: field(
                        "endpoint",
                        if allow_http {
                            Endpoint::parse_allowing_http(endpoint)
                        } else {
                            Endpoint::parse(endpoint)
                        },
                    )?,
                    p256dh: field("P256DH", P256dh::parse(p256dh))?,
                    auth: field("auth", AuthSecret::parse(auth))?,
                }),
            }),
            ("ACKWEBPUSH", [token]) => {
                Ok(Self::AckWebPush(field("token", AckToken::parse(token))?))
            }
            ("LWEBPUSH", [pattern]) => Ok(Self::LWebPush(field(
                "pattern",
                ListPattern::parse(pattern),
            )?)),
            ("SILWEBPUSH", [id, d]) => Ok(Self::SilWebPush(
                field("subscription ID", SubscriptionId::parse(id))?,
                field("duration", Silence::parse(d))?,
            )),
            _ => Err(CommandError::Arity(
                name,
                match name {
                    "GETVAPID" => "no arguments",
                    "WEBPUSH" => "<id> <endpoint> <p256dh> <auth>, or <id> NIL",
                    "ACKWEBPUSH" => "one token",
                    "LWEBPUSH" => "one pattern or subscription ID",
                    _ => "<id> <seconds|session>",
                },
            )),
        }
    }
}

/// Tags a field error with the argument's name.
fn field<T>(what: &'static str, r: Result<T, FieldError>) -> Result<T, CommandError> {
    r.map_err(|e| CommandError::Field(what, e))
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::GetVapid => f.write_str("GETVAPID"),
            Self::WebPush {
                id,
                subscription: None,
            } => write!(f, "WEBPUSH {id} NIL"),
            Self::WebPush {
                id,
                subscription: Some(s),
            } => write!(f, "WEBPUSH {id} {} {} {}", s.endpoint, s.p256dh, s.auth),
            Self::AckWebPush(t) => write!(f, "ACKWEBPUSH {t}"),
            Self::LWebPush(p) => write!(f, "LWEBPUSH {p}"),
            Self::SilWebPush(id, d) => write!(f, "SILWEBPUSH {id} {d}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draft_commands_round_trip() {
        for line in [
            "GETVAPID",
            "WEBPUSH a8282bf9-6102-4e1b-bb61-d26d0e532e65 https://push.example.net/push/random1 BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4 BTBZMqHH6r4Tts7J_aSIgg",
            "WEBPUSH a8282bf9-6102-4e1b-bb61-d26d0e532e65 NIL",
            "ACKWEBPUSH 585078c5-fb8b-4ed0-8e77-474ab08f0a30",
            "LWEBPUSH *",
            "SILWEBPUSH a8282bf9-6102-4e1b-bb61-d26d0e532e65 10",
            "SILWEBPUSH a8282bf9-6102-4e1b-bb61-d26d0e532e65 session",
        ] {
            let (k, a) = line.split_once(' ').unwrap_or((line, ""));
            let c = Command::parse(k, a, false).unwrap().unwrap();
            assert_eq!(c.to_string(), line);
        }
    }

    #[test]
    fn bad_arguments_are_named() {
        assert!(matches!(
            Command::parse("webpush", "a http://e/ BCVx x", false),
            Some(Err(CommandError::Field(
                "endpoint",
                FieldError::NotHttps(_)
            )))
        ));
        assert!(matches!(
            Command::parse("WEBPUSH", "a", false),
            Some(Err(CommandError::Arity(..)))
        ));
        assert!(matches!(
            Command::parse("GETVAPID", "x", false),
            Some(Err(CommandError::Arity(..)))
        ));
        assert!(Command::parse("NOOP", "", false).is_none());
    }
}
