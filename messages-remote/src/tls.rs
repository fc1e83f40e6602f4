//! [`Tls`]: the certificates a node proves itself with, and the authority it trusts.

use std::path::{Path, PathBuf};

/// Mutual TLS for every link a node makes or takes: the node presents its own
/// certificate (and proves it holds the private key), and accepts only peers (or,
/// on NATS, a server) whose certificate the same authority signed. A node without
/// such a certificate cannot reach any actor of the cluster, nor be reached.
///
/// The three files are PEM. Give every node a certificate for the names or
/// addresses it is reached at (`127.0.0.1`, `node-a.example`): the other side checks
/// the name it dialled against it.
///
/// ```rust,no_run
/// # async fn start() -> Result<(), messages_remote::RemoteError> {
/// use messages_remote::{Node, Tls};
///
/// let node = Node::builder()
///     .listen("tls/127.0.0.1:7447")
///     .tls(Tls::new("ca.pem", "node.pem", "node.key"))
///     .start()
///     .await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tls {
    authority: PathBuf,
    certificate: PathBuf,
    private_key: PathBuf,
}

impl Tls {
    /// The authority's certificate (`authority`), and this node's certificate and
    /// private key, as PEM files.
    pub fn new(
        authority: impl Into<PathBuf>,
        certificate: impl Into<PathBuf>,
        private_key: impl Into<PathBuf>,
    ) -> Self {
        Self {
            authority: authority.into(),
            certificate: certificate.into(),
            private_key: private_key.into(),
        }
    }

    pub(crate) fn authority(&self) -> &Path {
        &self.authority
    }

    pub(crate) fn certificate(&self) -> &Path {
        &self.certificate
    }

    pub(crate) fn private_key(&self) -> &Path {
        &self.private_key
    }

    /// The three files, each readable, or an error naming the one that is not.
    pub(crate) fn check(&self) -> Result<(), crate::RemoteError> {
        for (what, path) in [
            ("authority certificate", &self.authority),
            ("certificate", &self.certificate),
            ("private key", &self.private_key),
        ] {
            if let Err(error) = std::fs::metadata(path) {
                return Err(crate::RemoteError::Engine(format!(
                    "TLS {what} {}: {error}",
                    path.display()
                )));
            }
        }
        Ok(())
    }
}
