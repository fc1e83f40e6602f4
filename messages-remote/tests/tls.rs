//! TLS with mutual authentication: nodes with a certificate of the cluster's
//! authority reach each other; a node with another authority's certificate, or with
//! none, reaches nothing. Zenoh here, always; NATS (the `nats` feature) against the
//! TLS `nats-server` that `.ci/run` starts with certificates this binary wrote (the
//! ignored `write_certificates`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use messages::prelude::*;
use messages_remote::{Node, RemoteError, Tls};

#[actor]
#[derive(Debug, Default)]
pub struct Calc;

#[actor(remote)]
impl Calc {
    #[handler]
    pub fn add(&self, a: i64, b: i64) -> i64 {
        a + b
    }
}

const LIMIT: Duration = Duration::from_secs(20);

async fn within<F: std::future::Future>(future: F) -> F::Output {
    tokio::time::timeout(LIMIT, future)
        .await
        .expect("timed out")
}

/// A certificate authority, writing its certificate and the ones it issues as PEM
/// files into one directory.
struct Authority {
    issuer: rcgen::CertifiedIssuer<'static, rcgen::KeyPair>,
    directory: PathBuf,
    name: &'static str,
}

impl Authority {
    fn new(directory: &Path, name: &'static str) -> Self {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, format!("{name} authority"));
        let key = rcgen::KeyPair::generate().expect("a key");
        let issuer = rcgen::CertifiedIssuer::self_signed(params, key).expect("self-signed");
        std::fs::create_dir_all(directory).expect("the directory");
        std::fs::write(directory.join(format!("{name}-ca.pem")), issuer.pem()).expect("written");
        Self {
            issuer,
            directory: directory.to_owned(),
            name,
        }
    }

    fn certificate(&self) -> PathBuf {
        self.directory.join(format!("{}-ca.pem", self.name))
    }

    /// A certificate for `who`, valid for loopback, and the `Tls` that presents it.
    fn issue(&self, who: &str) -> Tls {
        let names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
        let mut params = rcgen::CertificateParams::new(names).expect("params");
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, who);
        let key = rcgen::KeyPair::generate().expect("a key");
        let certificate = params.signed_by(&key, &self.issuer).expect("signed");
        let (pem, key_file) = (
            self.directory.join(format!("{who}.pem")),
            self.directory.join(format!("{who}.key")),
        );
        std::fs::write(&pem, certificate.pem()).expect("written");
        std::fs::write(&key_file, key.serialize_pem()).expect("written");
        Tls::new(self.certificate(), pem, key_file)
    }
}

/// A directory of this test's own under the system's temporary directory.
fn scratch(test: &str) -> PathBuf {
    std::env::temp_dir().join(format!("messages-remote-tls-{}-{test}", std::process::id()))
}

fn free_tls_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("its address").port();
    format!("tls/127.0.0.1:{port}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zenoh_nodes_need_a_certificate_of_the_authority() {
    let directory = scratch("zenoh");
    let cluster = Authority::new(&directory, "cluster");
    let stranger = Authority::new(&directory, "stranger");
    let at = free_tls_endpoint();
    let server = Node::builder()
        .namespace("tls")
        .listen(at.clone())
        .tls(cluster.issue("server"))
        .start()
        .await
        .expect("starts");
    let calc: CalcAddress = Calc.spawn();
    within(server.publish("calc", &calc))
        .await
        .expect("published");

    let member = Node::builder()
        .namespace("tls")
        .connect(at.clone())
        .tls(cluster.issue("member"))
        .start()
        .await
        .expect("a node of the authority joins");
    let remote = within(member.lookup_within::<Calc>("calc", Duration::from_secs(10)))
        .await
        .expect("found");
    assert_eq!(within(remote.add(2, 3)).await, Ok(5));

    // Another authority's certificate, or TLS without a certificate of its own
    // (the engine's defaults): never joined, so nothing is reached.
    let outsider = Node::builder()
        .namespace("tls")
        .connect(at.clone())
        .tls(stranger.issue("outsider"))
        .connect_timeout(Duration::from_millis(800))
        .start()
        .await;
    assert_eq!(outsider.err(), Some(RemoteError::Unreachable(at.clone())));
    // One that trusts the cluster's authority but holds another's certificate: the
    // serving node checks the certificate it is shown (mutual TLS).
    stranger.issue("impostor");
    let impostor = Node::builder()
        .namespace("tls")
        .connect(at.clone())
        .tls(Tls::new(
            cluster.certificate(),
            directory.join("impostor.pem"),
            directory.join("impostor.key"),
        ))
        .connect_timeout(Duration::from_millis(800))
        .start()
        .await;
    assert_eq!(impostor.err(), Some(RemoteError::Unreachable(at.clone())));
    let plain = Node::builder()
        .namespace("tls")
        .connect(at.clone())
        .connect_timeout(Duration::from_millis(800))
        .start()
        .await;
    assert!(
        matches!(
            plain,
            Err(RemoteError::Unreachable(_) | RemoteError::Engine(_))
        ),
        "{plain:?}"
    );
    // The member is still there, its address too.
    assert_eq!(
        within(remote.add(1, 1)).await,
        Ok(2),
        "the member's address ended: {:?}",
        remote.stop_reason()
    );
    let _ = std::fs::remove_dir_all(directory);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_settings_that_would_leak_or_cannot_work_are_refused() {
    let directory = scratch("refused");
    let cluster = Authority::new(&directory, "cluster");
    let tls = cluster.issue("node");
    // A plain endpoint beside TLS would let anyone in.
    let plain = Node::builder()
        .listen("tcp/127.0.0.1:0")
        .tls(tls.clone())
        .start()
        .await;
    assert!(
        matches!(&plain, Err(RemoteError::Engine(words)) if words.contains("tcp/127.0.0.1:0")),
        "{plain:?}"
    );
    // A file that is not there is named.
    let missing = Node::builder()
        .listen(free_tls_endpoint())
        .tls(Tls::new(
            directory.join("no-such-ca.pem"),
            directory.join("node.pem"),
            directory.join("node.key"),
        ))
        .start()
        .await;
    assert!(
        matches!(&missing, Err(RemoteError::Engine(words)) if words.contains("no-such-ca.pem")),
        "{missing:?}"
    );
    let _ = std::fs::remove_dir_all(directory);
}

/// Writes the certificates of the TLS `nats-server` and its clients into
/// `MESSAGES_TLS_DIR`: `cluster-ca.pem`, `server.pem`/`.key`, and (from another
/// authority) `outsider.pem`/`.key`. Run by `.ci/run` before it starts that server.
#[test]
#[ignore = "run by .ci/run to make the TLS nats-server's certificates"]
fn write_certificates() {
    let directory = PathBuf::from(std::env::var("MESSAGES_TLS_DIR").expect("MESSAGES_TLS_DIR"));
    let cluster = Authority::new(&directory, "cluster");
    cluster.issue("server");
    Authority::new(&directory, "stranger").issue("outsider");
}

/// Against the TLS `nats-server` (`MESSAGES_NATS_TLS_URL`, started by `.ci/run` with
/// `--tlsverify` and the certificates in `MESSAGES_TLS_DIR`).
#[cfg(feature = "nats")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nats_nodes_need_a_certificate_of_the_authority() {
    let url = std::env::var("MESSAGES_NATS_TLS_URL")
        .expect("MESSAGES_NATS_TLS_URL names a nats-server started with --tlsverify");
    let directory = PathBuf::from(std::env::var("MESSAGES_TLS_DIR").expect("MESSAGES_TLS_DIR"));
    let node = |tls: Option<Tls>| {
        let builder = Node::builder()
            .engine(messages_remote::Engine::Nats)
            .namespace("nats-tls")
            .connect(url.clone())
            .connect_timeout(Duration::from_secs(2));
        match tls {
            Some(tls) => builder.tls(tls),
            None => builder,
        }
    };
    // Members carry certificates of the server's own authority.
    let cluster = Tls::new(
        directory.join("cluster-ca.pem"),
        directory.join("server.pem"),
        directory.join("server.key"),
    );
    let server = node(Some(cluster.clone())).start().await.expect("starts");
    let calc: CalcAddress = Calc.spawn();
    within(server.publish("calc", &calc))
        .await
        .expect("published");
    let member = node(Some(cluster.clone())).start().await.expect("starts");
    let remote = within(member.lookup::<Calc>("calc")).await.expect("found");
    assert_eq!(within(remote.add(2, 3)).await, Ok(5));

    let outsider = node(Some(Tls::new(
        directory.join("stranger-ca.pem"),
        directory.join("outsider.pem"),
        directory.join("outsider.key"),
    )))
    .start()
    .await;
    assert!(
        matches!(outsider, Err(RemoteError::Refused(_))),
        "{outsider:?}"
    );
    let impostor = node(Some(Tls::new(
        directory.join("cluster-ca.pem"),
        directory.join("outsider.pem"),
        directory.join("outsider.key"),
    )))
    .start()
    .await;
    assert!(
        matches!(impostor, Err(RemoteError::Refused(_))),
        "{impostor:?}"
    );
    let plain = node(None).start().await;
    assert!(matches!(plain, Err(RemoteError::Refused(_))), "{plain:?}");
    assert_eq!(within(remote.add(1, 1)).await, Ok(2));
}
