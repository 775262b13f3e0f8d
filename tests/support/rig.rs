//! The reference server on 127.0.0.1:0 with a hand-moved clock, clients
//! that reach it over STARTTLS with our IMAP library, and https push
//! endpoints (our endpoint library) whose CA the server trusts.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use imapwebpush::endpoint::{self, Answer, EndpointConfig, EndpointHandle, EndpointTls, Event};
use imapwebpush::imap::{ConnectOptions, ServerAddr, Session};
use imapwebpush::push::keys::Keys;
use imapwebpush::push::vapid::VapidSigner;
use imapwebpush::secret::Secret;
use imapwebpush::server::{self, AccountSpec, Delivery, ManualClock, ServerConfig, ServerHandle};
use imapwebpush::tls::{Identity, Trust};

/// Bounds every wait in these tests; far above what loopback needs.
pub const WAIT: Duration = Duration::from_secs(10);

pub fn trust(pem: &str) -> Trust {
    Trust::with_ca_pem(pem).unwrap()
}

pub struct Rig {
    pub server: ServerHandle,
    pub clock: Arc<ManualClock>,
    endpoint_identity: Identity,
}

impl Rig {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// A server with accounts demo:demo (admin) and other:other, a fixed
    /// clock, and `tweak` applied to its configuration.
    pub async fn start_with(tweak: impl FnOnce(&mut ServerConfig)) -> Self {
        let endpoint_identity = Identity::generate(&["127.0.0.1", "localhost"]).unwrap();
        let clock = Arc::new(ManualClock::new(SystemTime::now()));
        let mut config = ServerConfig::new(
            vec![
                AccountSpec {
                    name: "demo".into(),
                    password: Secret::new("demo".into()),
                    admin: true,
                },
                AccountSpec {
                    name: "other".into(),
                    password: Secret::new("other".into()),
                    admin: false,
                },
            ],
            VapidSigner::generate().unwrap(),
        );
        config.listen = ([127, 0, 0, 1], 0).into();
        config.clock = clock.clone();
        config.push_trust = trust(endpoint_identity.ca_pem.as_deref().unwrap());
        // The draft's examples name endpoints that do not resolve here:
        // fail those pushes fast and do not retry them during a test.
        config.push_timeout = Duration::from_secs(2);
        config.retry_delay = Duration::from_secs(600);
        tweak(&mut config);
        let server = server::start(config).await.unwrap();
        Self {
            server,
            clock,
            endpoint_identity,
        }
    }

    pub fn connect_options(&self) -> ConnectOptions {
        ConnectOptions {
            addr: ServerAddr::parse(&format!("imap://{}", self.server.addr), None).unwrap(),
            trust: trust(self.server.ca_pem.as_deref().unwrap()),
            timeout: WAIT,
        }
    }

    /// A client logged in over STARTTLS.
    pub async fn client_as(&self, user: &str) -> Session {
        let mut s = Session::connect(&self.connect_options(), None)
            .await
            .unwrap();
        s.login(user, &Secret::new(user.to_owned())).await.unwrap();
        s
    }

    pub async fn client(&self) -> Session {
        self.client_as("demo").await
    }

    /// An https endpoint with fresh keys, pinned to the server's key.
    pub async fn endpoint(&self, answer: Option<Answer>) -> (EndpointHandle, Arc<Keys>) {
        let keys = Arc::new(Keys::generate().unwrap());
        let mut c = EndpointConfig::new(keys.clone());
        c.tls = EndpointTls::Identity(self.endpoint_identity.clone());
        c.expected_vapid = Some(self.server.vapid_key());
        c.answer = answer;
        (endpoint::start(c).await.unwrap(), keys)
    }

    /// The CA of the endpoints, PEM.
    pub fn endpoint_ca(&self) -> String {
        self.endpoint_identity.ca_pem.clone().unwrap()
    }
}

/// The next event of an endpoint, or a panic after [`WAIT`].
pub async fn next_event(ep: &mut EndpointHandle) -> Event {
    tokio::time::timeout(WAIT, ep.events.recv())
        .await
        .expect("an endpoint event within the wait")
        .expect("the endpoint is running")
}

/// The next push (panics on a rejection, showing why).
pub async fn next_push(ep: &mut EndpointHandle) -> Box<endpoint::PushEvent> {
    match next_event(ep).await {
        Event::Push(p) => p,
        other => panic!("expected a push, got {other:?}"),
    }
}

/// The next delivery report for subscription `id`.
pub async fn next_delivery(
    rx: &mut tokio::sync::broadcast::Receiver<Delivery>,
    id: &str,
) -> Delivery {
    tokio::time::timeout(WAIT, async {
        loop {
            let d = rx.recv().await.expect("the server is running");
            if d.id == id {
                return d;
            }
        }
    })
    .await
    .expect("a delivery within the wait")
}

/// WEBPUSH create for `id` to an endpoint; returns the reply's S: lines.
pub async fn webpush(s: &mut Session, id: &str, ep: &EndpointHandle, keys: &Keys) -> Vec<String> {
    let r = s
        .run(&format!(
            "WEBPUSH {id} {} {} {}",
            ep.url, keys.p256dh, keys.auth
        ))
        .await
        .unwrap();
    lines(&r)
}

/// The S: lines of a reply, tags as sent, without CRLF.
pub fn lines(r: &imapwebpush::imap::Reply) -> Vec<String> {
    let mut out: Vec<String> = r
        .untagged
        .iter()
        .map(|f| f.raw.trim_end().to_owned())
        .collect();
    out.push(r.tagged.trim_end().to_owned());
    out
}

/// Subscribes `id` and confirms it with the token of the first push.
pub async fn subscribe(s: &mut Session, id: &str, ep: &mut EndpointHandle, keys: &Keys) {
    webpush(s, id, ep, keys).await;
    let push = next_push(ep).await;
    let token = push.ack_token().expect("an ACKWEBPUSH push").to_owned();
    let r = s.run(&format!("ACKWEBPUSH {token}")).await.unwrap();
    assert!(r.is_ok(), "{:?}", lines(&r));
}

/// WEBPUSH create with the fields as text (for endpoints outside the rig).
pub async fn webpush_raw(s: &mut Session, id: &str, url: &str, p256dh: &str, auth: &str) {
    let r = s
        .run(&format!("WEBPUSH {id} {url} {p256dh} {auth}"))
        .await
        .unwrap();
    assert!(r.is_ok(), "{:?}", lines(&r));
}
