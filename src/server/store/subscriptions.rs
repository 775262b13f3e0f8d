//! Push subscriptions (§5.2–§5.5): WEBPUSH, ACKWEBPUSH tokens, LWEBPUSH,
//! SILWEBPUSH (timed and per session), and the active subscriptions the
//! sender pushes to.

use super::*;

impl Store {
    /// §5.2 create or update.
    pub fn webpush_set(
        &self,
        user: &str,
        id: &SubscriptionId,
        fields: Subscription,
        enabled: Enabled,
    ) -> Result<WebPushOutcome, WebPushRefused> {
        let now = self.now();
        let mut guard = self.lock();
        let st = &mut *guard;
        let generation = st.vapid.generation;
        let Some(acct) = st.accounts.get_mut(user) else {
            return Err(WebPushRefused::NoAccount);
        };
        let pos = match acct.subs.iter().position(|s| &s.id == id) {
            Some(pos) => {
                let sub = &mut acct.subs[pos];
                sub.enabled = enabled;
                let fresh = sub.state == SubState::Active { generation };
                if sub.fields == fields && fresh {
                    // Equal fields, acknowledged under the current key:
                    // it stays active and nothing needs confirming.
                    return Ok(WebPushOutcome {
                        info: Self::info(sub, now),
                        inactive: false,
                    });
                }
                // A different field, a key rotated since activation, or a
                // subscription still waiting for its acknowledgement: (re)issue
                // a token, and it is inactive until that token comes back.
                if sub.fields != fields {
                    sub.fields = fields;
                    sub.silenced_until = None;
                }
                sub.version += 1;
                sub.state = SubState::Inactive;
                pos
            }
            None => {
                if acct.subs.len() >= self.limits.max_subscriptions {
                    return Err(WebPushRefused::Limit(self.limits.max_subscriptions));
                }
                acct.subs.push(Sub {
                    id: id.clone(),
                    fields,
                    enabled,
                    state: SubState::Inactive,
                    silenced_until: None,
                    session_silencers: 0,
                    serial: st.next_serial,
                    version: 1,
                });
                st.next_serial += 1;
                acct.subs.len() - 1
            }
        };
        let sub = &mut acct.subs[pos];
        if self.faults.has(Fault::ActivateWithoutAck) {
            sub.state = SubState::Active { generation };
        }
        let mut token = crate::webpush::types::new_uuid_v4();
        if self.faults.has(Fault::NonV4Token) {
            // The version digit of `xxxxxxxx-xxxx-4xxx-…`.
            token.replace_range(14..15, "1");
        }
        let (serial, version) = (sub.serial, sub.version);
        let info = Self::info(sub, now);
        let target = Self::target(user, sub);
        let lifetime = self.token_lifetime();
        acct.tokens
            .retain(|t| now.duration_since(t.issued).unwrap_or_default() <= lifetime);
        if acct.tokens.len() >= MAX_TOKENS {
            acct.tokens.remove(0);
        }
        acct.tokens.push(Token {
            token: token.clone(),
            serial,
            version,
            issued: now,
            generation,
        });
        if !self.faults.has(Fault::SkipAckPush) {
            self.emit(Outgoing::Ack { target, token });
        }
        Ok(WebPushOutcome {
            inactive: info.silenced.is_none(),
            info,
        })
    }

    /// §5.2 delete; deleting an unknown ID is not an error.
    pub fn webpush_delete(&self, user: &str, id: &SubscriptionId) {
        let mut st = self.lock();
        if let Some(acct) = st.accounts.get_mut(user) {
            if let Some(pos) = acct.subs.iter().position(|s| &s.id == id) {
                let serial = acct.subs.remove(pos).serial;
                acct.tokens.retain(|t| t.serial != serial);
            }
        }
    }

    /// §5.3: activates the subscription the token was issued for, if the
    /// token is known, unexpired, and its subscription unchanged since.
    pub fn ackwebpush(&self, user: &str, token: &str) -> Option<SubscriptionInfo> {
        let now = self.now();
        let mut guard = self.lock();
        let st = &mut *guard;
        let generation = st.vapid.generation;
        let acct = st.accounts.get_mut(user)?;
        let pos = acct.tokens.iter().position(|t| t.token == token)?;
        let t = &acct.tokens[pos];
        let age = now.duration_since(t.issued).unwrap_or_default();
        let valid = age <= self.token_lifetime() && t.generation == generation;
        let (serial, version) = (t.serial, t.version);
        if !self.faults.has(Fault::ReusableToken) {
            acct.tokens.remove(pos);
        }
        if !valid {
            return None;
        }
        let sub = acct
            .subs
            .iter_mut()
            .find(|s| s.serial == serial && s.version == version)?;
        sub.state = SubState::Active { generation };
        Some(Self::info(sub, now))
    }

    /// How long a token is accepted: for ever with the fault that breaks
    /// §6.4.
    fn token_lifetime(&self) -> Duration {
        if self.faults.has(Fault::TokenNeverExpires) {
            Duration::MAX
        } else {
            self.limits.token_lifetime
        }
    }

    /// §5.4, in creation order.
    pub fn lwebpush(&self, user: &str, pattern: &ListPattern) -> Vec<SubscriptionInfo> {
        let now = self.now();
        // The pattern is the client's: match after the lock is released,
        // so that its cost falls on this session alone.
        let all: Vec<SubscriptionInfo> = {
            let st = self.lock();
            st.accounts.get(user).map_or_else(Vec::new, |a| {
                a.subs.iter().map(|s| Self::info(s, now)).collect()
            })
        };
        all.into_iter().filter(|i| pattern.matches(&i.id)).collect()
    }

    /// §5.5 with a duration (0 ends the silence). `None`: unknown or
    /// inactive (NO).
    pub fn silence(
        &self,
        user: &str,
        id: &SubscriptionId,
        seconds: u32,
    ) -> Option<SubscriptionInfo> {
        let now = self.now();
        let mut st = self.lock();
        let sub = Self::active_sub(&mut st, user, id)?;
        sub.silenced_until = (seconds > 0).then(|| now + Duration::from_secs(u64::from(seconds)));
        Some(Self::info(sub, now))
    }

    /// §5.5 `session`: silenced until [`Store::release_session`] (called
    /// when the connection ends). Returns the serial to release later.
    pub fn silence_session(
        &self,
        user: &str,
        id: &SubscriptionId,
    ) -> Option<(SubscriptionInfo, u64)> {
        let now = self.now();
        let mut st = self.lock();
        let sub = Self::active_sub(&mut st, user, id)?;
        sub.session_silencers += 1;
        Some((Self::info(sub, now), sub.serial))
    }

    /// Ends the session silences a connection held: one release for each
    /// [`Store::silence_session`] it made, so that a silence set twice on
    /// one connection still ends with it.
    pub fn release_session(&self, user: &str, serials: &[u64]) {
        let mut st = self.lock();
        if let Some(acct) = st.accounts.get_mut(user) {
            for serial in serials {
                if let Some(s) = acct.subs.iter_mut().find(|s| s.serial == *serial) {
                    s.session_silencers = s.session_silencers.saturating_sub(1);
                }
            }
        }
    }

    fn active_sub<'a>(st: &'a mut State, user: &str, id: &SubscriptionId) -> Option<&'a mut Sub> {
        st.accounts
            .get_mut(user)?
            .subs
            .iter_mut()
            .find(|s| &s.id == id && matches!(s.state, SubState::Active { .. }))
    }

    /// The subscriptions a mailbox event is pushed to: active, and not
    /// silenced (unless the `ignore-silence` fault is on).
    pub fn push_targets(&self, user: &str) -> Vec<Target> {
        let now = self.now();
        let st = self.lock();
        let ignore = self.faults.has(Fault::IgnoreSilence);
        st.accounts.get(user).map_or_else(Vec::new, |a| {
            a.subs
                .iter()
                .filter(|s| matches!(s.state, SubState::Active { .. }))
                .filter(|s| {
                    ignore || (s.session_silencers == 0 && remaining(s.silenced_until, now) == 0)
                })
                .map(|s| Self::target(user, s))
                .collect()
        })
    }

    /// Whether this subscription (not a later one with its ID) still exists.
    pub fn exists(&self, user: &str, serial: u64) -> bool {
        let st = self.lock();
        st.accounts
            .get(user)
            .is_some_and(|a| a.subs.iter().any(|s| s.serial == serial))
    }

    /// §7.4: the push service said the subscription is gone.
    pub fn remove(&self, user: &str, serial: u64) -> bool {
        let mut st = self.lock();
        let Some(acct) = st.accounts.get_mut(user) else {
            return false;
        };
        let before = acct.subs.len();
        acct.subs.retain(|s| s.serial != serial);
        acct.tokens.retain(|t| t.serial != serial);
        acct.subs.len() != before
    }
}
