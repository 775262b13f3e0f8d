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
    /// WEBPUSH is left out of the capabilities (§4 MUST)
    NoWebpushCapability,
    /// The five commands are served before authentication (§5: authenticated or selected state only)
    ExtensionBeforeLogin,
    /// GETVAPID and WEBPUSH send a truncated VAPID key, not a P-256 point (§6.1 MUST)
    MalformedVapidKey,
    /// WEBPUSH accepts http:// endpoints (§5.2: the URI MUST use https)
    AcceptHttpEndpoint,
    /// WEBPUSH accepts a short or off-curve P256DH key and a bad auth secret (§5.2 MUST)
    AcceptBadKeys,
    /// WEBPUSH <id> NIL answers OK but keeps the subscription (§5.2)
    IgnoreDelete,
    /// Deleting an unknown subscription ID is answered NO (§5.2: OK)
    RefuseUnknownDelete,
    /// A token activates again after its first use (§5.3)
    ReusableToken,
    /// ACKWEBPUSH with an unknown token is answered OK (§5.3: NO)
    AcceptUnknownToken,
    /// LWEBPUSH answers OK with no subscriptions (§5.4 MUST)
    EmptyLwebpush,
    /// SILWEBPUSH answers OK but silences nothing (§5.5)
    ForgetSilence,
    /// SILWEBPUSH on an unknown ID is answered OK (§5.5: NO)
    SilenceUnknownOk,
    /// Pushes are signed with a VAPID key other than GETVAPID's (§5.1, RFC 8292)
    WrongVapidKey,
    /// Pushes are encrypted for a key other than the subscription's (§5.2 MUST, RFC 8291)
    WrongEncryptionKey,
    /// New mail is pushed as FETCH, not UIDFETCH (§7.1 MUST)
    FetchNotUidfetch,
    /// Expunges are pushed as EXPUNGE, not VANISHED (§7.1 MUST)
    NoVanished,
    /// Pushes say `TTL: 60`, not a week (§7.2 SHOULD 604800)
    ShortTtl,
    /// Every push carries a Topic header, new mail too (§7.2 SHOULD NOT)
    TopicOnEveryPush,
    /// Capabilities ENABLEd before WEBPUSH are not applied to its pushes: no MODSEQ with CONDSTORE (§5.2)
    IgnoreEnabled,
    /// Every push about a mailbox change is sent twice (§7: one push per change)
    PushTwice,
    /// Tokens are shaped as UUIDs of version 1, not random version 4 (§6.4)
    NonV4Token,
    /// Tokens are accepted however old, past their 10 minutes (§6.4 SHOULD)
    TokenNeverExpires,
    /// After a 5xx the next attempt goes at once, with no wait (§7.4)
    Retry5xxAtOnce,
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
