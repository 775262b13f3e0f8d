//! `serve --fault NAME`: rules the reference server breaks on purpose, so
//! that a checker (ours or anyone's) can be shown to catch each one.

use std::collections::BTreeSet;

/// One rule to break. The doc comment of each is its `--help` text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Fault {
    /// GETVAPID and WEBPUSH leave out the untagged VAPID response (§5.1, §5.2 MUST)
    NoVapidResponse,
    /// WEBPUSH and ACKWEBPUSH leave out the untagged WEBPUSH response (§5.2 MUST)
    NoWebpushResponse,
    /// New and changed subscriptions are active before any ACKWEBPUSH (§5.2)
    ActivateWithoutAck,
    /// No push carrying the ACKWEBPUSH token is sent (§5.2 MUST)
    SkipAckPush,
    /// Every push says `Urgency: very-low` whatever it holds (§7.2)
    WrongUrgency,
    /// New-mail pushes always carry ENVELOPE and BINARY, past 3993 bytes (§7.1 MUST NOT)
    OversizePush,
    /// Mailbox responses are pushed without the SELECT before them (§7.1 MUST)
    NoSelectBeforeFetch,
    /// The VAPID JWT's `aud` is not the endpoint's origin (RFC 8292 §2)
    BadJwtAud,
    /// The VAPID JWT's `exp` is 48 hours ahead, past the 24-hour limit (RFC 8292 §2)
    LongJwtExp,
    /// The VAPID JWT has no `sub` claim (RFC 8292 §2.1 SHOULD)
    NoJwtSub,
    /// Silenced subscriptions are pushed to anyway (§5.5)
    IgnoreSilence,
    /// A subscription whose endpoint answered 404/410 (any 4xx) is kept (§7.4 MUST)
    #[value(name = "keep-after-410")]
    KeepAfter410,
    /// After a 429 the next request goes at once, whatever Retry-After says (§7.4 MUST)
    IgnoreRetryAfter,
}

/// The set of faults a server was started with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faults(BTreeSet<Fault>);

impl Faults {
    pub fn new(faults: impl IntoIterator<Item = Fault>) -> Self {
        Self(faults.into_iter().collect())
    }

    pub fn has(&self, f: Fault) -> bool {
        self.0.contains(&f)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The `--fault` names, for the start-up banner.
    pub fn names(&self) -> Vec<String> {
        use clap::ValueEnum as _;
        self.0
            .iter()
            .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_owned()))
            .collect()
    }
}
