//! Mailboxes and messages: LIST, CREATE, DELETE, APPEND, STORE, EXPUNGE,
//! each a change under the one lock that may become a push.

use super::*;

impl Store {
    pub fn mailboxes(&self, user: &str) -> Vec<String> {
        let st = self.lock();
        st.accounts.get(user).map_or_else(Vec::new, |a| {
            a.mailboxes.iter().map(|m| m.name.clone()).collect()
        })
    }

    pub fn create(&self, user: &str, name: &str) -> Result<(), &'static str> {
        let mut st = self.lock();
        let uidvalidity = st.next_uidvalidity;
        let acct = st.accounts.get_mut(user).ok_or("no such account")?;
        if acct.mailboxes.iter().any(|m| same_mailbox(&m.name, name)) {
            return Err("[ALREADYEXISTS] mailbox exists");
        }
        acct.mailboxes.push(Mailbox {
            name: name.to_owned(),
            uidvalidity,
            uidnext: 1,
            highest_modseq: 1,
            messages: Vec::new(),
        });
        st.next_uidvalidity += 1;
        Ok(())
    }

    pub fn delete(&self, user: &str, name: &str) -> Result<(), &'static str> {
        if name.eq_ignore_ascii_case("INBOX") {
            return Err("INBOX cannot be deleted");
        }
        let mut st = self.lock();
        let acct = st.accounts.get_mut(user).ok_or("no such account")?;
        let Some(i) = acct
            .mailboxes
            .iter()
            .position(|m| same_mailbox(&m.name, name))
        else {
            return Err("[NONEXISTENT] no such mailbox");
        };
        let gone = acct.mailboxes.remove(i);
        let freed: usize = gone.messages.iter().map(|m| m.raw.len()).sum();
        acct.bytes = acct.bytes.saturating_sub(freed);
        Self::touched(acct);
        Ok(())
    }

    /// An account and the index of one of its mailboxes.
    fn account_mailbox<'a>(
        st: &'a mut State,
        user: &str,
        mailbox: &str,
    ) -> Option<(&'a mut Account, usize)> {
        let acct = st.accounts.get_mut(user)?;
        let i = acct
            .mailboxes
            .iter()
            .position(|m| same_mailbox(&m.name, mailbox))?;
        Some((acct, i))
    }

    /// Runs `f` on a mailbox, read-only.
    pub fn read<R>(&self, user: &str, mailbox: &str, f: impl FnOnce(&Mailbox) -> R) -> Option<R> {
        let st = self.lock();
        let acct = st.accounts.get(user)?;
        acct.mailboxes
            .iter()
            .find(|m| same_mailbox(&m.name, mailbox))
            .map(f)
    }

    /// Appends a message; returns (UIDVALIDITY, UID) for APPENDUID.
    pub fn append(
        &self,
        user: &str,
        mailbox: &str,
        raw: Vec<u8>,
        flags: Vec<String>,
    ) -> Result<(u32, u32), &'static str> {
        let now = self.now();
        // Parsing costs what the client sent: not under the lock.
        let envelope = Arc::new(Envelope::parse(&raw));
        let raw: Arc<[u8]> = raw.into();
        let max = self.limits.max_account_bytes;
        let mut st = self.lock();
        let (acct, i) =
            Self::account_mailbox(&mut st, user, mailbox).ok_or("[TRYCREATE] no such mailbox")?;
        let total = acct.bytes.saturating_add(raw.len());
        if total > max {
            return Err(
                "[OVERQUOTA] the account's storage limit is reached; expunge messages first",
            );
        }
        acct.bytes = total;
        let mb = &mut acct.mailboxes[i];
        let uid = mb.uidnext;
        mb.uidnext += 1;
        mb.highest_modseq += 1;
        mb.messages.push(Message {
            uid,
            flags,
            modseq: mb.highest_modseq,
            internal_date: now,
            raw: raw.clone(),
            envelope: envelope.clone(),
        });
        let (uidvalidity, modseq, name) = (mb.uidvalidity, mb.highest_modseq, mb.name.clone());
        Self::touched(acct);
        self.emit(Outgoing::Event {
            account: user.to_owned(),
            mailbox: name,
            event: MailEvent::New {
                uid,
                modseq,
                raw,
                envelope,
            },
        });
        Ok((uidvalidity, uid))
    }

    /// Changes the flags of the messages with these UIDs; returns, for
    /// each message whose flags changed, (UID, flags, MODSEQ).
    pub fn store_flags(
        &self,
        user: &str,
        mailbox: &str,
        uids: &[u32],
        op: FlagOp,
        flags: &[String],
    ) -> Vec<(u32, Vec<String>, u64)> {
        let mut st = self.lock();
        let Some((acct, i)) = Self::account_mailbox(&mut st, user, mailbox) else {
            return vec![];
        };
        let mb = &mut acct.mailboxes[i];
        let mut changed = Vec::new();
        let name = mb.name.clone();
        for (i, m) in mb.messages.iter_mut().enumerate() {
            if !uids.contains(&m.uid) {
                continue;
            }
            let mut new = match op {
                FlagOp::Replace => flags.to_vec(),
                FlagOp::Add => {
                    let mut f = m.flags.clone();
                    for x in flags {
                        if !f.iter().any(|y| y.eq_ignore_ascii_case(x)) {
                            f.push(x.clone());
                        }
                    }
                    f
                }
                FlagOp::Remove => m
                    .flags
                    .iter()
                    .filter(|y| !flags.iter().any(|x| x.eq_ignore_ascii_case(y)))
                    .cloned()
                    .collect(),
            };
            new.dedup();
            if new == m.flags {
                continue;
            }
            mb.highest_modseq += 1;
            m.flags = new;
            m.modseq = mb.highest_modseq;
            changed.push((m.uid, m.flags.clone(), m.modseq));
            self.emit(Outgoing::Event {
                account: user.to_owned(),
                mailbox: name.clone(),
                event: MailEvent::Flags {
                    uid: m.uid,
                    seq: i as u32 + 1,
                    flags: m.flags.clone(),
                    modseq: m.modseq,
                },
            });
        }
        if !changed.is_empty() {
            Self::touched(acct);
        }
        changed
    }

    /// Removes the messages flagged `\Deleted` (only those in `only`, for
    /// UID EXPUNGE); returns their UIDs.
    pub fn expunge(&self, user: &str, mailbox: &str, only: Option<&[u32]>) -> Vec<u32> {
        let mut st = self.lock();
        let Some((acct, i)) = Self::account_mailbox(&mut st, user, mailbox) else {
            return vec![];
        };
        let mb = &mut acct.mailboxes[i];
        let mut gone = Vec::new();
        let mut freed = 0;
        mb.messages.retain(|m| {
            let del = m.flags.iter().any(|f| f.eq_ignore_ascii_case("\\Deleted"))
                && only.is_none_or(|o| o.contains(&m.uid));
            if del {
                gone.push(m.uid);
                freed += m.raw.len();
            }
            !del
        });
        acct.bytes = acct.bytes.saturating_sub(freed);
        if gone.is_empty() {
            return gone;
        }
        mb.highest_modseq += 1;
        let name = mb.name.clone();
        for &uid in &gone {
            self.emit(Outgoing::Event {
                account: user.to_owned(),
                mailbox: name.clone(),
                event: MailEvent::Vanished { uid },
            });
        }
        Self::touched(acct);
        gone
    }
}

/// INBOX is case-insensitive (RFC 9051 §5.1); other names are not.
pub fn same_mailbox(a: &str, b: &str) -> bool {
    a == b || (a.eq_ignore_ascii_case("INBOX") && b.eq_ignore_ascii_case("INBOX"))
}
